using System.Text;
using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.OpenAI.Responses;

/// <summary>
/// Turns a Responses API request into Microsoft.Extensions.AI messages and options: <c>input</c> (a string, or
/// message, <c>function_call</c> and <c>function_call_output</c> items), the function tools and
/// <c>tool_choice</c>, the sampling parameters and <c>text.format</c>. Errors name the request's own fields.
/// </summary>
internal static class ResponsesRequestMapping
{
    public static List<ChatMessage> ToMessages(ResponsesRequest request)
    {
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrEmpty(request.Instructions))
        {
            messages.Add(new ChatMessage(ChatRole.System, request.Instructions));
        }

        var input = request.Input;
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                messages.Add(new ChatMessage(ChatRole.User, input.GetString()));
                break;
            case JsonValueKind.Array when input.GetArrayLength() > 0:
                var index = 0;
                foreach (var item in input.EnumerateArray())
                {
                    AddItem(messages, item, index++);
                }

                break;
            default:
                throw GatewayException.InvalidField("input", "a string or a non-empty list of input items is required.");
        }

        return messages;
    }

    public static ChatOptions ToOptions(ResponsesRequest request) => new()
    {
        Temperature = request.Temperature,
        TopP = request.TopP,
        MaxOutputTokens = request.MaxOutputTokens,
        Tools = request.Tools is { Count: > 0 } tools ? tools.Select(ToFunction).ToList() : null,
        ToolMode = ToolModeOf(request.ToolChoice),
        AllowMultipleToolCalls = request.ParallelToolCalls,
        ResponseFormat = ResponseFormatOf(request.Text?.Format),
        // A json_schema format's strict travels as /v1/chat/completions' does.
        AdditionalProperties = request.Text?.Format is { Type: "json_schema", Strict: bool strict }
            ? new AdditionalPropertiesDictionary { [ChatParameterNames.StrictJsonSchema] = strict }
            : null,
    };

    private static void AddItem(List<ChatMessage> messages, JsonElement item, int index)
    {
        var field = $"input[{index}]";
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.InvalidField(field, "an input item object is required.");
        }

        // A message item may leave out its type.
        var type = OptionalString(item, "type", field) ?? "message";
        switch (type)
        {
            case "message":
                messages.Add(new ChatMessage(RoleOf(item, field), [new TextContent(ContentText(item, field))]));
                break;
            case "function_call":
                var call = ToolCallJson.CreateCall(
                    RequiredString(item, "call_id", field),
                    RequiredString(item, "name", field),
                    RequiredString(item, "arguments", field));
                // Calls that follow the assistant's message (or each other) are that message's calls, as chat completions sends them.
                if (messages is [.., { Role.Value: "assistant" } last] && !last.Contents.OfType<FunctionResultContent>().Any())
                {
                    last.Contents.Add(call);
                }
                else
                {
                    messages.Add(new ChatMessage(ChatRole.Assistant, [call]));
                }

                break;
            case "function_call_output":
                messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(RequiredString(item, "call_id", field), RequiredString(item, "output", field))]));
                break;
            default:
                throw GatewayException.InvalidField($"{field}.type", $"'{type}' items are not supported; use message, function_call or function_call_output.");
        }
    }

    private static ChatRole RoleOf(JsonElement item, string field) => RequiredString(item, "role", field) switch
    {
        "user" => ChatRole.User,
        "assistant" => ChatRole.Assistant,
        "system" or "developer" => ChatRole.System,
        var other => throw GatewayException.InvalidField($"{field}.role", $"'{other}' is not a role; use user, assistant, system or developer."),
    };

    private static string ContentText(JsonElement item, string field)
    {
        if (!item.TryGetProperty("content", out var content))
        {
            throw GatewayException.InvalidField($"{field}.content", "a string or a list of input_text parts is required.");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw GatewayException.InvalidField($"{field}.content", "a string or a list of input_text parts is required.");
        }

        var text = new StringBuilder();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partField = $"{field}.content[{index++}]";
            var type = part.ValueKind == JsonValueKind.Object ? OptionalString(part, "type", partField) : null;
            if (type is not ("input_text" or "output_text"))
            {
                throw GatewayException.InvalidField($"{partField}.type", "only input_text parts (and output_text in assistant messages) are supported.");
            }

            text.Append(RequiredString(part, "text", partField));
        }

        return text.ToString();
    }

    private static AITool ToFunction(ResponsesTool tool, int index)
    {
        var field = $"tools[{index}]";
        if (tool.Type != "function")
        {
            throw GatewayException.InvalidField($"{field}.type", $"'{tool.Type}' tools are not supported; only function tools are.");
        }

        if (string.IsNullOrEmpty(tool.Name))
        {
            throw GatewayException.InvalidField($"{field}.name", "a function tool needs its name.");
        }

        return new ResponsesFunctionDeclaration(tool.Name, tool.Description, tool.Parameters, tool.Strict);
    }

    private static ChatToolMode? ToolModeOf(JsonElement choice) => choice.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        JsonValueKind.String => choice.GetString() switch
        {
            "auto" => ChatToolMode.Auto,
            "none" => ChatToolMode.None,
            "required" => ChatToolMode.RequireAny,
            var other => throw GatewayException.InvalidField("tool_choice", $"'{other}' is not a tool choice; use auto, none, required or {{\"type\":\"function\",\"name\":…}}."),
        },
        JsonValueKind.Object when OptionalString(choice, "type", "tool_choice") == "function" =>
            ChatToolMode.RequireSpecific(RequiredString(choice, "name", "tool_choice")),
        _ => throw GatewayException.InvalidField("tool_choice", "use auto, none, required or {\"type\":\"function\",\"name\":…}."),
    };

    private static ChatResponseFormat? ResponseFormatOf(ResponsesTextFormat? format) => format?.Type switch
    {
        null or "text" => null,
        "json_object" => ChatResponseFormat.Json,
        "json_schema" when format.Schema.ValueKind == JsonValueKind.Object =>
            ChatResponseFormat.ForJsonSchema(format.Schema, format.Name, format.Description),
        "json_schema" => throw GatewayException.InvalidField("text.format.schema", "a json_schema format needs its JSON schema object."),
        var other => throw GatewayException.InvalidField("text.format.type", $"'{other}' is not a format; use text, json_object or json_schema."),
    };

    private static string RequiredString(JsonElement item, string name, string field) =>
        OptionalString(item, name, field) ?? throw GatewayException.InvalidField($"{field}.{name}", "a string is required.");

    private static string? OptionalString(JsonElement item, string name, string field)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw GatewayException.InvalidField($"{field}.{name}", "a string is required.");
    }
}
