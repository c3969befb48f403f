using System.Text.Json;
using Gateway.Core.Errors;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Providers.Ollama;

/// <summary>
/// Writes a request's function tools as Ollama's <c>tools</c>. Ollama has no <c>tool_choice</c>: its model
/// decides whether to call a tool, so <see cref="ChatToolMode.None"/> sends no tools and any other mode sends them
/// (the chat pipeline refuses a mode that requires a call as <c>unsupported_parameter</c>, or drops it when told to).
/// </summary>
internal static class OllamaToolWriter
{
    public static void Write(Utf8JsonWriter writer, ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools || options.ToolMode is NoneChatToolMode)
        {
            return;
        }

        writer.WriteStartArray("tools"u8);
        for (var index = 0; index < tools.Count; index++)
        {
            var tool = tools[index];
            if (tool is not AIFunctionDeclaration function)
            {
                throw GatewayException.InvalidField($"tools[{index}]", $"'{tool.Name}' is not a function; Ollama takes function tools only.");
            }

            writer.WriteStartObject();
            writer.WriteString("type"u8, "function"u8);
            writer.WriteStartObject("function"u8);
            writer.WriteString("name"u8, function.Name);
            writer.WriteString("description"u8, function.Description);
            writer.WritePropertyName("parameters"u8);
            function.JsonSchema.WriteTo(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
