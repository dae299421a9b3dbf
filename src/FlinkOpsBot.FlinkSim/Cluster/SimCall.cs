namespace FlinkOpsBot.FlinkSim;

/// <summary>
/// One mutating request the simulated cluster received (savepoint, stop, cancel, jar run), whatever its outcome.
/// </summary>
/// <param name="Method">HTTP method, e.g. <c>POST</c>.</param>
/// <param name="Path">Request path without the <c>/v1</c> prefix and query, e.g. <c>/jobs/3f1c…/stop</c>.</param>
/// <param name="JobId">The job it acted on: the path's job id, or for a jar run the job it started (<c>null</c> if refused).</param>
/// <param name="IdempotencyKey">The id the client chose to make a retry safe: the <c>triggerId</c> of a savepoint or stop, the <c>jobId</c> of a jar run; <c>null</c> if none was sent.</param>
/// <param name="StatusCode">The HTTP status it was answered with; 0 if it was never answered (<see cref="SimFaults.HangNextRequests"/>).</param>
/// <param name="Time">When it arrived (simulated time).</param>
public sealed record SimCall(string Method, string Path, string? JobId, string? IdempotencyKey, int StatusCode, DateTimeOffset Time);
