using Microsoft.Extensions.AI;

namespace Gateway.Core.Chat;

/// <summary>The options a route can honour, from <see cref="ChatService.ApplyParameterSupport"/>.</summary>
/// <param name="Options">The options to send: the request's, less what was dropped.</param>
/// <param name="DroppedParameters">
/// The parameters dropped because the route cannot honour them (only when <c>DROP_UNSUPPORTED_PARAMS</c>
/// is on), by their <see cref="ChatParameterNames"/>; empty when nothing was dropped.
/// </param>
public sealed record SupportedChatOptions(ChatOptions? Options, IReadOnlyList<string> DroppedParameters);
