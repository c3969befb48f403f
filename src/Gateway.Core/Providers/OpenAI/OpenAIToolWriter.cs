using System.Text.Json;
using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Providers.OpenAI;

/// <summary>
/// Writes a request's tools in OpenAI's chat completions form: <c>tools</c> from the function declarations of
/// <see cref="ChatOptions.Tools"/>, <c>tool_choice</c> from <see cref="ChatOptions.ToolMode"/> and
/// <c>parallel_tool_calls</c> from <see cref="ChatOptions.AllowMultipleToolCalls"/>, each only when set.
/// </summary>
internal static class OpenAIToolWriter
{
    /// <summary>The key of a tool's <see cref="AITool.AdditionalProperties"/> that asks for OpenAI's strict schema adherence, as Microsoft.Extensions.AI.OpenAI reads it.</summary>
    public const string StrictKey = "strict";

    public static void Write(Utf8JsonWriter writer, ChatOptions? options)
    {
        if (options is null)
        {
            return;
        }

        if (options.Tools is { Count: > 0 } tools)
        {
            writer.WriteStartArray("tools"u8);
            for (var i = 0; i < tools.Count; i++)
            {
                WriteTool(writer, tools[i], i);
            }

            writer.WriteEndArray();
        }

        switch (options.ToolMode)
        {
            case NoneChatToolMode:
                writer.WriteString("tool_choice"u8, "none"u8);
                break;
            case AutoChatToolMode:
                writer.WriteString("tool_choice"u8, "auto"u8);
                break;
            case RequiredChatToolMode { RequiredFunctionName: null }:
                writer.WriteString("tool_choice"u8, "required"u8);
                break;
            case RequiredChatToolMode required:
                writer.WriteStartObject("tool_choice"u8);
                writer.WriteString("type"u8, "function"u8);
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, required.RequiredFunctionName);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
        }

        if (options.AllowMultipleToolCalls is bool parallel)
        {
            writer.WriteBoolean("parallel_tool_calls"u8, parallel);
        }
    }

    private static void WriteTool(Utf8JsonWriter writer, AITool tool, int index)
    {
        if (tool is not AIFunctionDeclaration function)
        {
            throw GatewayException.InvalidField(
                $"tools[{index}]", $"'{tool.Name}' is not a function; OpenAI-compatible chat completions take function tools only.");
        }

        writer.WriteStartObject();
        writer.WriteString("type"u8, "function"u8);
        writer.WriteStartObject("function"u8);
        writer.WriteString("name"u8, function.Name);
        if (!string.IsNullOrEmpty(function.Description))
        {
            writer.WriteString("description"u8, function.Description);
        }

        writer.WritePropertyName("parameters"u8);
        if (function.JsonSchema.ValueKind == JsonValueKind.Object)
        {
            function.JsonSchema.WriteTo(writer);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "object"u8);
            writer.WriteStartObject("properties"u8);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (function.AdditionalProperties.TryGetValue(StrictKey, out var strict) && strict is bool isStrict)
        {
            writer.WriteBoolean("strict"u8, isStrict);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
