using Gateway.Core.Storage.Conversations;

namespace Gateway.Core.Storage.Jobs;

/// <summary>Which jobs to list, newest first.</summary>
/// <param name="Limit">Page size, 1 to <see cref="StorePaging.MaxLimit"/>.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page, or <see langword="null"/> for the first.</param>
/// <param name="Kind">Only jobs of this kind, if set.</param>
/// <param name="State">Only jobs in this state, if set.</param>
public sealed record JobQuery(int Limit = StorePaging.DefaultLimit, string? Cursor = null, string? Kind = null, JobState? State = null);
