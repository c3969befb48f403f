using System.Text.Json;
using Gateway.AspNetCore.Internal;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.Chat;

/// <summary>
/// The chat API's tools both ways: a request's <c>tools</c> and <c>toolChoice</c> into <see cref="ChatOptions"/>,
/// a message's <c>toolCalls</c> and <c>toolCallId</c> into <see cref="FunctionCallContent"/> and
/// <see cref="FunctionResultContent"/>, and an answer's calls back into <c>toolCalls</c>.
/// </summary>
internal static class ChatToolMapping
{
    private static readonly JsonElement EmptyParameters = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement;

    /// <summary>The options with the request's tools and tool choice; <paramref name="options"/> itself when it has neither.</summary>
    public static ChatOptions? WithTools(ChatOptions? options, List<ChatToolBody>? tools, JsonElement? toolChoice)
    {
        if (tools is null && toolChoice is null)
        {
            return options;
        }

        options ??= new ChatOptions();
        if (tools is not null)
        {
            options.Tools = [.. tools.Select(ToDeclaration)];
        }

        options.ToolMode = ToToolMode(toolChoice);
        return options;
    }

    /// <summary>Puts a message's tool call or tool result in its contents, in place of its text where they replace it.</summary>
    public static void AddTo(ChatMessage message, ChatMessageBody body, int index)
    {
        if (body.ToolCallId is { } callId)
        {
            // A tool message's content is the result of the call it names.
            message.Contents = [new FunctionResultContent(callId, body.Content)];
            return;
        }

        if (body.ToolCalls is not { Count: > 0 } calls)
        {
            return;
        }

        var contents = string.IsNullOrEmpty(body.Content) ? new List<AIContent>() : [new TextContent(body.Content)];
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls[i] ?? throw GatewayException.InvalidField($"messages[{index}].toolCalls[{i}]", "a tool call object is required.");
            var arguments = ArgumentsText(call.Arguments, $"messages[{index}].toolCalls[{i}].arguments");
            contents.Add(ToolCallJson.CreateCall(call.Id ?? string.Empty, call.Name ?? string.Empty, arguments));
        }

        message.Contents = contents;
    }

    /// <summary>The answer's tool calls as the chat API returns them; <see langword="null"/> when it made none.</summary>
    public static List<ChatToolCallBody>? ToBodies(IEnumerable<ChatMessage> messages)
    {
        List<ChatToolCallBody>? calls = null;
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent call)
                {
                    (calls ??= []).Add(new ChatToolCallBody { Id = call.CallId, Name = call.Name, Arguments = ArgumentsOf(call) });
                }
            }
        }

        return calls;
    }

    /// <summary>
    /// A call's arguments as the chat API shows them: the JSON object the model wrote, or, when what it wrote is not
    /// a JSON object, that text as a string.
    /// </summary>
    public static JsonElement ArgumentsOf(FunctionCallContent call)
    {
        var text = call.RawRepresentation as string;
        if (text is null)
        {
            return JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));
        }

        try
        {
            using var parsed = JsonDocument.Parse(text);
            if (parsed.RootElement.ValueKind == JsonValueKind.Object)
            {
                return parsed.RootElement.Clone();
            }
        }
        catch (JsonException)
        {
            // Not JSON: shown as the text the model wrote.
        }

        return JsonSerializer.SerializeToElement(text, GatewayJsonContext.Default.String);
    }

    private static AIFunctionDeclaration ToDeclaration(ChatToolBody? tool, int index)
    {
        if (tool is null)
        {
            throw GatewayException.InvalidField($"tools[{index}]", "a tool object is required.");
        }

        if (string.IsNullOrEmpty(tool.Name))
        {
            throw GatewayException.InvalidField($"tools[{index}].name", "a tool name is required.");
        }

        var parameters = tool.Parameters switch
        {
            null => EmptyParameters,
            { ValueKind: JsonValueKind.Object } schema => schema,
            _ => throw GatewayException.InvalidField($"tools[{index}].parameters", "must be a JSON schema object."),
        };
        return AIFunctionFactory.CreateDeclaration(tool.Name, tool.Description, parameters);
    }

    private static ChatToolMode? ToToolMode(JsonElement? choice) => choice switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } text => text.GetString() switch
        {
            "auto" => ChatToolMode.Auto,
            "none" => ChatToolMode.None,
            "required" => ChatToolMode.RequireAny,
            _ => throw InvalidToolChoice(),
        },
        { ValueKind: JsonValueKind.Object } named when named.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String =>
            ChatToolMode.RequireSpecific(name.GetString()!),
        _ => throw InvalidToolChoice(),
    };

    private static GatewayException InvalidToolChoice() =>
        GatewayException.InvalidField("toolChoice", """must be "auto", "none", "required" or {"name": "<tool>"}.""");

    private static string ArgumentsText(JsonElement? arguments, string field) => arguments switch
    {
        null or { ValueKind: JsonValueKind.Null } => "{}",
        { ValueKind: JsonValueKind.Object } json => json.GetRawText(),
        // As OpenAI writes them: the object's text.
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        _ => throw GatewayException.InvalidField(field, "must be a JSON object."),
    };
}
