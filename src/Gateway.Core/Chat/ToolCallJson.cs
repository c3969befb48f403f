using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>
/// How the gateway carries tool calls and tool results as text. A call's arguments keep the exact text
/// the model or client wrote in <see cref="AIContent.RawRepresentation"/> (a <see cref="string"/>), so a relay
/// passes them on byte for byte, even when they are not valid JSON; <see cref="FunctionCallContent.Arguments"/>
/// holds them parsed, or <see cref="FunctionCallContent.Exception"/> says why they could not be.
/// </summary>
public static class ToolCallJson
{
    // Microsoft.Extensions.AI's options indent; arguments and results travel on one line, as models write them.
    private static readonly JsonSerializerOptions Options = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private static readonly JsonTypeInfo<IDictionary<string, object?>> ArgumentsType =
        (JsonTypeInfo<IDictionary<string, object?>>)Options.GetTypeInfo(typeof(IDictionary<string, object?>));

    /// <summary>A call with <paramref name="arguments"/> parsed into a dictionary and kept as written.</summary>
    /// <param name="callId">The call's id, which the tool result names.</param>
    /// <param name="name">The function's name.</param>
    /// <param name="arguments">The arguments as a JSON object's text; empty for none.</param>
    public static FunctionCallContent CreateCall(string callId, string name, string arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var call = string.IsNullOrWhiteSpace(arguments)
            ? new FunctionCallContent(callId, name)
            : FunctionCallContent.CreateFromParsedArguments(arguments, callId, name, static text => JsonSerializer.Deserialize(text, ArgumentsType));
        call.RawRepresentation = arguments;
        return call;
    }

    /// <summary>The arguments' text: as written when the call came from text, else its arguments serialized (<c>{}</c> for none).</summary>
    public static string ArgumentsOf(FunctionCallContent call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.RawRepresentation as string ?? Serialize(call.Arguments);
    }

    /// <summary>Parsed arguments as the text of a JSON object, on one line; <c>{}</c> for none.</summary>
    internal static string Serialize(IDictionary<string, object?>? arguments) =>
        JsonSerializer.Serialize(arguments ?? new Dictionary<string, object?>(), ArgumentsType);

    /// <summary>A tool result as the text of a tool message: a string as it is, anything else as JSON.</summary>
    public static string ResultOf(FunctionResultContent result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Result switch
        {
            null => string.Empty,
            string text => text,
            JsonElement { ValueKind: JsonValueKind.String } text => text.GetString()!,
            JsonElement json => json.GetRawText(),
            var value => JsonSerializer.Serialize(value, Options.GetTypeInfo(value.GetType())),
        };
    }
}
