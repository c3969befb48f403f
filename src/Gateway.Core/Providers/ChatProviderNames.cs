namespace Gateway.Core.Providers;

/// <summary>The names of the providers that ship with Gateway.Core.</summary>
public static class ChatProviderNames
{
    /// <summary>Any server speaking OpenAI's <c>/v1/chat/completions</c> (OpenAI, vLLM, llama.cpp server, LM Studio, …).</summary>
    public const string OpenAI = "openai";

    /// <summary>Ollama's native <c>/api/chat</c> NDJSON API.</summary>
    public const string Ollama = "ollama";
}
