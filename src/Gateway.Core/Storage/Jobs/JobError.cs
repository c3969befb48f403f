namespace Gateway.Core.Storage.Jobs;

/// <summary>Why a job failed.</summary>
/// <param name="ErrorCode">A stable code, such as <see cref="Errors.GatewayErrorCodes.JobAbandoned"/> or a gateway error's code.</param>
/// <param name="Detail">A sentence for a human.</param>
public sealed record JobError(string ErrorCode, string Detail);
