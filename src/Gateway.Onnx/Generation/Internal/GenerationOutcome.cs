using Microsoft.Extensions.AI;

namespace Gateway.Onnx.Generation.Internal;

/// <summary>How one generation ended and what it cost.</summary>
/// <param name="FinishReason"><see cref="ChatFinishReason.Stop"/> (an end-of-sequence token or a stop sequence) or <see cref="ChatFinishReason.Length"/> (the token limit or the context was reached).</param>
/// <param name="InputTokens">Prompt tokens after the chat template.</param>
/// <param name="OutputTokens">Tokens the model generated, including an end-of-sequence token.</param>
internal sealed record GenerationOutcome(ChatFinishReason FinishReason, int InputTokens, int OutputTokens);
