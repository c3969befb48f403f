namespace Gateway.Core.Errors;

/// <summary>
/// The stable, machine-readable error codes that every gateway error carries as <c>errorCode</c>.
/// Clients may switch on these; they never change meaning once shipped.
/// </summary>
public static class GatewayErrorCodes
{
    /// <summary>The request body is not valid JSON or does not have the expected shape.</summary>
    public const string MalformedRequest = "malformed_request";

    /// <summary>A field of the request has a value outside what is accepted.</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>The request body exceeds the configured size limit.</summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary>The request's content type is not <c>application/json</c>.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>No API key, or an unknown one, was presented.</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>The gateway has no API keys configured and only serves loopback clients.</summary>
    public const string LoopbackOnly = "loopback_only";

    /// <summary>The caller is authenticated, but the host's authorization policy for the gateway's endpoints refuses it.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The caller is over its <c>RATE_LIMIT_PER_MIN</c> budget; <c>Retry-After</c> says when to come back.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>
    /// The route cannot honour a request parameter (named in <c>param</c>, by its OpenAI name), such as <c>n</c>
    /// on an Ollama route; with <c>DROP_UNSUPPORTED_PARAMS=true</c> it is dropped instead.
    /// </summary>
    public const string UnsupportedParameter = "unsupported_parameter";

    /// <summary>The request has images and its route's model cannot read them (its capabilities lack <c>vision</c>, or an <c>onnx</c> route).</summary>
    public const string VisionNotSupported = "vision_not_supported";

    /// <summary>An image of the request is larger, decoded, than <c>MAX_IMAGE_BYTES</c> allows.</summary>
    public const string ImageTooLarge = "image_too_large";

    /// <summary>The request has more images than <c>MAX_IMAGES_PER_REQUEST</c> allows.</summary>
    public const string TooManyImages = "too_many_images";

    /// <summary>The requested model key names no configured route.</summary>
    public const string RouteNotFound = "route_not_found";

    /// <summary>The request named no model and the gateway cannot choose one.</summary>
    public const string RouteRequired = "route_required";

    /// <summary>A model name matched several routes' upstream model id.</summary>
    public const string RouteAmbiguous = "route_ambiguous";

    /// <summary>No route is configured at all.</summary>
    public const string NoRoutesConfigured = "no_routes_configured";

    /// <summary>The route's model is not in <c>ALLOWED_MODELS</c>.</summary>
    public const string ModelNotAllowed = "model_not_allowed";

    /// <summary>The request has tools, and its route's model cannot call them (an <c>onnx</c> route, or capabilities without <c>tools</c>).</summary>
    public const string ToolsNotSupported = "tools_not_supported";

    /// <summary>The upstream could not be reached (connection refused, DNS, TLS).</summary>
    public const string UpstreamUnavailable = "upstream_unavailable";

    /// <summary>The upstream answered with an error status.</summary>
    public const string UpstreamError = "upstream_error";

    /// <summary>The upstream rejected the request itself (its HTTP 400); its message is passed through.</summary>
    public const string UpstreamBadRequest = "upstream_bad_request";

    /// <summary>The upstream rejected the gateway's credentials (its HTTP 401 or 403).</summary>
    public const string UpstreamAuthenticationFailed = "upstream_authentication_failed";

    /// <summary>The upstream answered with something that is not its documented wire format.</summary>
    public const string UpstreamProtocolError = "upstream_protocol_error";

    /// <summary>The upstream did not answer within a configured timeout.</summary>
    public const string UpstreamTimeout = "upstream_timeout";

    /// <summary>An unexpected failure inside the gateway; always a bug worth reporting.</summary>
    public const string InternalError = "internal_error";

    /// <summary>The gateway is starting or stopping and does not serve yet.</summary>
    public const string NotReady = "not_ready";

    /// <summary>The path does not name an endpoint of the gateway.</summary>
    public const string EndpointNotFound = "endpoint_not_found";

    /// <summary>The path exists but not with this HTTP method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary><c>GET /v1/models/{id}</c> names no route key or model profile the gateway serves.</summary>
    public const string ModelNotFound = "model_not_found";

    /// <summary><c>GET</c> or <c>DELETE /v1/responses/{id}</c> names no stored response with a stored reply.</summary>
    public const string ResponseNotFound = "response_not_found";

    /// <summary>No conversation has the given id.</summary>
    public const string ConversationNotFound = "conversation_not_found";

    /// <summary>The conversation has no message with the given id.</summary>
    public const string MessageNotFound = "message_not_found";

    /// <summary>The <c>cursor</c> is not one this listing handed out.</summary>
    public const string InvalidCursor = "invalid_cursor";

    /// <summary>The search text cannot be read as a query (for example, it only excludes terms).</summary>
    public const string InvalidSearchQuery = "invalid_search_query";

    /// <summary>An import file is malformed, truncated or not a known export format; nothing was written.</summary>
    public const string InvalidImport = "invalid_import";

    /// <summary>The database stayed locked by other writers past every retry; try again shortly.</summary>
    public const string StorageBusy = "storage_busy";

    /// <summary>No model profile has the given id (or, for <c>profile:&lt;name&gt;</c>, the given name).</summary>
    public const string ProfileNotFound = "profile_not_found";

    /// <summary>Another model profile already has this name (names are unique, ignoring case).</summary>
    public const string ProfileNameTaken = "profile_name_taken";

    /// <summary>No space has the given id.</summary>
    public const string SpaceNotFound = "space_not_found";

    /// <summary>Another space already has this name (names are unique, ignoring case).</summary>
    public const string SpaceNameTaken = "space_name_taken";

    /// <summary>The space still holds conversations; delete it with <c>?cascade=true</c> or <c>?detach=true</c>.</summary>
    public const string SpaceNotEmpty = "space_not_empty";

    /// <summary>A chat in a space named no profile or model, and the space has several linked profiles and no default.</summary>
    public const string ProfileRequired = "profile_required";

    /// <summary>No embedding model has the requested name.</summary>
    public const string EmbeddingModelNotFound = "embedding_model_not_found";

    /// <summary>An embedding request has more inputs than <c>EMBEDDING_MAX_INPUTS</c> allows.</summary>
    public const string TooManyEmbeddingInputs = "too_many_embedding_inputs";

    /// <summary>An embedding input is longer than <c>EMBEDDING_MAX_INPUT_CHARS</c> allows.</summary>
    public const string EmbeddingInputTooLong = "embedding_input_too_long";

    /// <summary>An embedding model folder is missing, incomplete or not a model that can be served.</summary>
    public const string InvalidEmbeddingModel = "invalid_embedding_model";

    /// <summary>No RAG collection has the given id.</summary>
    public const string CollectionNotFound = "collection_not_found";

    /// <summary>The collection has no document with the given id.</summary>
    public const string DocumentNotFound = "document_not_found";

    /// <summary>The document exists but its extracted text was not kept: it was written before the gateway stored documents' text; writing it again stores it.</summary>
    public const string DocumentTextUnavailable = "document_text_unavailable";

    /// <summary>A vector or embedding model is not the one the collection is bound to (another model, or other dimensions).</summary>
    public const string EmbeddingModelMismatch = "embedding_model_mismatch";

    /// <summary>The collection holds documents, so its embedding model and dimensions cannot change in place (a re-embedding changes them).</summary>
    public const string EmbeddingModelLocked = "embedding_model_locked";

    /// <summary>The collection is being re-embedded with another model already; <c>jobId</c> names the job, which can be cancelled.</summary>
    public const string ReembeddingInProgress = "reembedding_in_progress";

    /// <summary>The collection has no re-embedding owned by the given job: it was cancelled, or replaced by another.</summary>
    public const string ReembeddingNotFound = "reembedding_not_found";

    /// <summary>A metadata filter cannot be read; the message and <c>path</c> name the bad clause.</summary>
    public const string InvalidFilter = "invalid_filter";

    /// <summary>Another collection already has this name (names are unique, ignoring case).</summary>
    public const string CollectionNameTaken = "collection_name_taken";

    /// <summary>No file-system sandbox root has the given name (<c>GATEWAY_SANDBOX_ROOTS</c>).</summary>
    public const string SandboxRootNotFound = "sandbox_root_not_found";

    /// <summary>A sandbox path climbs out with <c>..</c>, is absolute, or leads outside its root through a link (or a loop of links).</summary>
    public const string SandboxPathDenied = "sandbox_path_denied";

    /// <summary>A sandbox path cannot be read as one: a NUL byte or another control character, a backslash, a percent-encoding left after decoding, or too long.</summary>
    public const string InvalidPath = "invalid_path";

    /// <summary>Nothing is at the sandbox path (or only a hidden dotfile).</summary>
    public const string FileNotFound = "file_not_found";

    /// <summary>The sandbox path names a folder where a file is expected.</summary>
    public const string NotAFile = "not_a_file";

    /// <summary>The sandbox path names a file where a folder is expected.</summary>
    public const string NotAFolder = "not_a_folder";

    /// <summary>The file is larger than the read limit (<c>GATEWAY_SANDBOX_MAX_READ_BYTES</c>, or the caller's).</summary>
    public const string FileTooLarge = "file_too_large";

    /// <summary>A document's file type is not one RAG ingestion reads; the message and <c>supported</c> list those it reads.</summary>
    public const string UnsupportedDocumentType = "unsupported_document_type";

    /// <summary>A document cannot be read as its type: a broken PDF, JSON that does not parse, text that is not UTF-8.</summary>
    public const string DocumentCorrupt = "document_corrupt";

    /// <summary>A PDF is encrypted and cannot be opened without a password.</summary>
    public const string DocumentEncrypted = "document_encrypted";

    /// <summary>A document holds no text to index, such as a PDF of scanned images.</summary>
    public const string DocumentHasNoText = "document_has_no_text";

    /// <summary>The collection has no folder source with the given id.</summary>
    public const string SourceNotFound = "source_not_found";

    /// <summary>A sync of the folder source was asked for while another sync of it runs; <c>ingestionId</c> names that sync's ingestion.</summary>
    public const string SourceSyncInProgress = "source_sync_in_progress";

    /// <summary>No job has the given id.</summary>
    public const string JobNotFound = "job_not_found";

    /// <summary>The job's state does not allow the request (cancelling a finished job, resuming a cancelled one); <c>state</c> names it.</summary>
    public const string JobStateConflict = "job_state_conflict";

    /// <summary>A worker wrote to a job it no longer holds: its lease expired and another worker claimed the job, or the job finished.</summary>
    public const string JobLeaseLost = "job_lease_lost";

    /// <summary>The error of a job whose lease expired with no attempts left: its workers stopped without finishing it.</summary>
    public const string JobAbandoned = "job_abandoned";

    /// <summary>The error of a job whose handler failed unexpectedly (not with a gateway error); the log has the exception.</summary>
    public const string JobFailed = "job_failed";

    /// <summary>No RAG ingestion (or re-embedding) has the given id.</summary>
    public const string IngestionNotFound = "ingestion_not_found";

    /// <summary>The error of an ingestion every one of whose documents failed (each reason is in its status's errors).</summary>
    public const string IngestionFailed = "ingestion_failed";
}
