using System.Text.Json.Serialization;

namespace Gateway.AspNetCore.Internal;

/// <summary>One embedding as it goes on the wire: a JSON array of numbers, or (OpenAI's <c>encoding_format: base64</c>) the little-endian float32 bytes in base64.</summary>
/// <param name="Values">The vector.</param>
/// <param name="Base64">Whether it is written as base64 instead of numbers.</param>
[JsonConverter(typeof(EmbeddingVectorJsonConverter))]
internal readonly record struct EmbeddingVector(ReadOnlyMemory<float> Values, bool Base64);
