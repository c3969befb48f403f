using System.Text.Json;
using Gateway.Core.Chat;
using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.AspNetCore.OpenAI;

/// <summary>
/// Turns a chat request's <c>tools</c>, <c>tool_choice</c>, an assistant's <c>tool_calls</c> and a <c>tool</c>
/// message into Microsoft.Extensions.AI's function declarations, tool mode, <see cref="FunctionCallContent"/>
/// and <see cref="FunctionResultContent"/>, naming the offending <c>/v1</c> field when one is wrong.
/// </summary>
internal static class OpenAIToolMapping
{
    public static IList<AITool>? ToTools(List<OpenAITool>? tools)
    {
        if (tools is null)
        {
            return null;
        }

        var result = new List<AITool>(tools.Count);
        for (var i = 0; i < tools.Count; i++)
        {
            var tool = tools[i] ?? throw GatewayException.InvalidField($"tools[{i}]", "a tool object is required.");
            if (tool.Type != "function")
            {
                throw GatewayException.InvalidField($"tools[{i}].type", "must be \"function\", the only tool type of chat completions.");
            }

            var function = tool.Function ?? throw GatewayException.InvalidField($"tools[{i}].function", "a function tool needs its function object.");
            if (string.IsNullOrEmpty(function.Name))
            {
                throw GatewayException.InvalidField($"tools[{i}].function.name", "the function's name is required.");
            }

            if (function.Parameters.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
            {
                throw GatewayException.InvalidField($"tools[{i}].function.parameters", "must be a JSON Schema object.");
            }

            var schema = function.Parameters.ValueKind == JsonValueKind.Object ? function.Parameters : default;
            result.Add(new OpenAIFunctionDeclaration(function.Name, function.Description, schema, function.Strict));
        }

        return result;
    }

    public static ChatToolMode? ToToolMode(JsonElement choice)
    {
        switch (choice.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return null;
            case JsonValueKind.String when choice.ValueEquals("auto"u8):
                return ChatToolMode.Auto;
            case JsonValueKind.String when choice.ValueEquals("none"u8):
                return ChatToolMode.None;
            case JsonValueKind.String when choice.ValueEquals("required"u8):
                return ChatToolMode.RequireAny;
            case JsonValueKind.Object:
                if (!choice.TryGetProperty("type"u8, out var type) || !type.ValueEquals("function"u8))
                {
                    throw GatewayException.InvalidField("tool_choice.type", "must be \"function\".");
                }

                if (!choice.TryGetProperty("function"u8, out var function)
                    || function.ValueKind != JsonValueKind.Object
                    || !function.TryGetProperty("name"u8, out var name)
                    || name.ValueKind != JsonValueKind.String
                    || name.GetString() is not { Length: > 0 } functionName)
                {
                    throw GatewayException.InvalidField("tool_choice.function.name", "the name of the function the model must call is required.");
                }

                return ChatToolMode.RequireSpecific(functionName);
            default:
                throw GatewayException.InvalidField(
                    "tool_choice", "must be \"auto\", \"none\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":…}}.");
        }
    }

    /// <summary>The calls of an assistant message, each with its arguments kept as the client wrote them.</summary>
    public static List<AIContent> ToCalls(List<OpenAIToolCall> calls, int index)
    {
        var result = new List<AIContent>(calls.Count);
        for (var j = 0; j < calls.Count; j++)
        {
            var field = $"messages[{index}].tool_calls[{j}]";
            var call = calls[j] ?? throw GatewayException.InvalidField(field, "a tool call object is required.");
            if (string.IsNullOrEmpty(call.Id))
            {
                throw GatewayException.InvalidField(field + ".id", "the call's id is required: the tool message that answers it names it.");
            }

            if (call.Type is not (null or "function"))
            {
                throw GatewayException.InvalidField(field + ".type", "must be \"function\".");
            }

            if (call.Function is not { Name.Length: > 0 } function)
            {
                throw GatewayException.InvalidField(field + ".function.name", "the called function's name is required.");
            }

            result.Add(ToolCallJson.CreateCall(call.Id, function.Name, function.Arguments ?? string.Empty));
        }

        return result;
    }

    /// <summary>A <c>tool</c> message: the result of the call it names.</summary>
    public static FunctionResultContent ToResult(OpenAIMessage message, string content, int index) =>
        string.IsNullOrEmpty(message.ToolCallId)
            ? throw GatewayException.InvalidField($"messages[{index}].tool_call_id", "a tool message names the tool call it answers.")
            : new FunctionResultContent(message.ToolCallId, content);

    /// <summary>A completion's <c>tool_calls</c>: every call the answer makes, its arguments as the model wrote them; <see langword="null"/> for none.</summary>
    public static List<OpenAIToolCall>? ToWireCalls(ChatResponse response)
    {
        List<OpenAIToolCall>? calls = null;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent { InformationalOnly: false } call)
                {
                    (calls ??= []).Add(new OpenAIToolCall
                    {
                        Id = call.CallId,
                        Type = "function",
                        Function = new OpenAIToolCallFunction { Name = call.Name, Arguments = ToolCallJson.ArgumentsOf(call) },
                    });
                }
            }
        }

        return calls;
    }
}
