using Gateway.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.AspNetCore.Internal;

/// <summary>Declares the gateway errors an endpoint or group can answer with.</summary>
internal static class GatewayErrorResponseExtensions
{
    public static TBuilder ProducesGatewayError<TBuilder>(this TBuilder builder, int statusCode, params string[] errorCodes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new GatewayErrorResponse(statusCode, errorCodes));

    /// <summary>What resolving a model route can answer: an unknown route, none configured or to choose from, or one the allowlist refuses.</summary>
    public static TBuilder ProducesRouteErrors<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .ProducesGatewayError(StatusCodes.Status403Forbidden, GatewayErrorCodes.ModelNotAllowed)
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.RouteNotFound)
            .ProducesGatewayError(StatusCodes.Status409Conflict, GatewayErrorCodes.NoRoutesConfigured, GatewayErrorCodes.RouteRequired, GatewayErrorCodes.RouteAmbiguous);

    /// <summary>What a chat turn can answer besides its route's errors: tools or a parameter the route cannot honour, an unknown conversation, message, profile or space, and the upstream's failures.</summary>
    public static TBuilder ProducesChatErrors<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .ProducesRouteErrors()
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.ToolsNotSupported, GatewayErrorCodes.UnsupportedParameter, GatewayErrorCodes.VisionNotSupported)
            .ProducesGatewayError(StatusCodes.Status413PayloadTooLarge, GatewayErrorCodes.ImageTooLarge, GatewayErrorCodes.TooManyImages)
            .ProducesGatewayError(
                StatusCodes.Status404NotFound,
                GatewayErrorCodes.ConversationNotFound,
                GatewayErrorCodes.MessageNotFound,
                GatewayErrorCodes.ProfileNotFound,
                GatewayErrorCodes.SpaceNotFound)
            .ProducesUpstreamErrors();

    /// <summary>What calling an upstream model server can answer.</summary>
    public static TBuilder ProducesUpstreamErrors<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.UpstreamBadRequest)
            .ProducesGatewayError(
                StatusCodes.Status502BadGateway,
                GatewayErrorCodes.UpstreamError,
                GatewayErrorCodes.UpstreamAuthenticationFailed,
                GatewayErrorCodes.UpstreamProtocolError,
                GatewayErrorCodes.UpstreamUnavailable)
            .ProducesGatewayError(StatusCodes.Status504GatewayTimeout, GatewayErrorCodes.UpstreamTimeout);

    /// <summary>What embedding texts can answer: an unknown model, too many or too long inputs, a model that cannot load.</summary>
    public static TBuilder ProducesEmbeddingErrors<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .ProducesGatewayError(StatusCodes.Status400BadRequest, GatewayErrorCodes.EmbeddingInputTooLong)
            .ProducesGatewayError(StatusCodes.Status404NotFound, GatewayErrorCodes.EmbeddingModelNotFound)
            .ProducesGatewayError(StatusCodes.Status413PayloadTooLarge, GatewayErrorCodes.TooManyEmbeddingInputs)
            .ProducesGatewayError(StatusCodes.Status503ServiceUnavailable, GatewayErrorCodes.InvalidEmbeddingModel);
}
