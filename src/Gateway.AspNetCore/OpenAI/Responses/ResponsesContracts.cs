using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.AspNetCore.OpenAI.Responses;

/// <summary>The body of <c>POST /v1/responses</c>, as OpenAI's Responses API defines it (the fields the gateway honours).</summary>
internal sealed class ResponsesRequest
{
    public string? Model { get; set; }

    /// <summary>A string (one user message) or a list of input items.</summary>
    public JsonElement Input { get; set; }

    public string? Instructions { get; set; }

    public List<ResponsesTool>? Tools { get; set; }

    /// <summary><c>auto</c>, <c>none</c>, <c>required</c> or <c>{"type":"function","name"}</c>.</summary>
    public JsonElement ToolChoice { get; set; }

    public bool? ParallelToolCalls { get; set; }

    public float? Temperature { get; set; }

    public float? TopP { get; set; }

    public int? MaxOutputTokens { get; set; }

    public ResponsesTextOptions? Text { get; set; }

    public bool? Stream { get; set; }

    /// <summary>Whether the response is stored (as a turn of a stored conversation); OpenAI's default is <see langword="true"/>.</summary>
    public bool? Store { get; set; }

    public string? PreviousResponseId { get; set; }
}

/// <summary>A function tool: <c>{"type":"function","name","description","parameters","strict"}</c>.</summary>
internal sealed class ResponsesTool
{
    public string? Type { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public JsonElement Parameters { get; set; }

    public bool? Strict { get; set; }
}

/// <summary><c>text</c>: how the model formats its text.</summary>
internal sealed class ResponsesTextOptions
{
    public ResponsesTextFormat? Format { get; set; }
}

/// <summary><c>text.format</c>: <c>text</c>, <c>json_object</c> or <c>json_schema</c> with its <c>name</c>, <c>schema</c>, <c>description</c> and <c>strict</c>.</summary>
internal sealed class ResponsesTextFormat
{
    public string? Type { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public JsonElement Schema { get; set; }

    public bool? Strict { get; set; }
}

/// <summary>The <c>response</c> object.</summary>
internal sealed record ResponseBody(
    string Id,
    string Object,
    long CreatedAt,
    string Status,
    string Model,
    IReadOnlyList<ResponseOutputItem> Output,
    ResponseUsage? Usage,
    ResponseError? Error,
    ResponseIncompleteDetails? IncompleteDetails,
    string? PreviousResponseId,
    string? Instructions,
    float? Temperature,
    float? TopP,
    int? MaxOutputTokens,
    bool ParallelToolCalls,
    bool Store);

/// <summary>One item of a response's <c>output</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ResponseMessageItem), "message")]
[JsonDerivedType(typeof(ResponseFunctionCallItem), "function_call")]
internal abstract record ResponseOutputItem(string Id, string Status);

/// <summary>The assistant's message: its text as one <c>output_text</c> part.</summary>
internal sealed record ResponseMessageItem(string Id, string Status, string Role, IReadOnlyList<ResponseOutputText> Content)
    : ResponseOutputItem(Id, Status);

/// <summary>An <c>output_text</c> content part.</summary>
internal sealed record ResponseOutputText(string Type, string Text, IReadOnlyList<string> Annotations);

/// <summary>A call of a function tool; <c>arguments</c> is its JSON text.</summary>
internal sealed record ResponseFunctionCallItem(string Id, string Status, string CallId, string Name, string Arguments)
    : ResponseOutputItem(Id, Status);

/// <summary>Token counts in the Responses API's naming.</summary>
internal sealed record ResponseUsage(
    long InputTokens, ResponseInputTokensDetails InputTokensDetails, long OutputTokens, ResponseOutputTokensDetails OutputTokensDetails, long TotalTokens);

/// <summary><c>input_tokens_details</c>; the gateway counts no cached tokens.</summary>
internal sealed record ResponseInputTokensDetails(long CachedTokens);

/// <summary><c>output_tokens_details</c>; the gateway counts no reasoning tokens.</summary>
internal sealed record ResponseOutputTokensDetails(long ReasoningTokens);

/// <summary>Why a <c>failed</c> response failed: the gateway's errorCode and detail.</summary>
internal sealed record ResponseError(string Code, string Message);

/// <summary>Why an <c>incomplete</c> response stopped: <c>max_output_tokens</c> or <c>content_filter</c>.</summary>
internal sealed record ResponseIncompleteDetails(string Reason);

/// <summary>The answer to <c>DELETE /v1/responses/{id}</c>, OpenAI's deleted object.</summary>
internal sealed record ResponseDeleted(string Id, string Object, bool Deleted);
