using FlinkOpsBot.FlinkSim.Engine;

namespace FlinkOpsBot.FlinkSim;

/// <summary>Faults a test arms on the simulated cluster. Thread-safe; each takes effect from the moment it is armed.</summary>
public sealed class SimFaults
{
    private const string DefaultSavepointFailure = "Checkpoint expired before completing.";

    private readonly Simulation _simulation;

    internal SimFaults(Simulation simulation) => _simulation = simulation;

    /// <summary>
    /// The next stop-with-savepoint of <paramref name="jobId"/> fails: after <see cref="FlinkSimOptions.SavepointDuration"/>
    /// its status is COMPLETED with a <c>failure-cause</c> carrying <paramref name="message"/>, a failed savepoint
    /// appears in the checkpoint history, and the job keeps RUNNING.
    /// </summary>
    public void FailNextStopWithSavepoint(string jobId, string message = DefaultSavepointFailure) =>
        _simulation.Sync(sim => sim.Faults.FailNextStop(Normalize(jobId), message));

    /// <summary>The next savepoint of <paramref name="jobId"/> fails the same way as <see cref="FailNextStopWithSavepoint"/>.</summary>
    public void FailNextSavepoint(string jobId, string message = DefaultSavepointFailure) =>
        _simulation.Sync(sim => sim.Faults.FailNextSavepoint(Normalize(jobId), message));

    /// <summary>
    /// While <paramref name="fail"/> is set, every checkpoint of <paramref name="jobId"/> fails with
    /// <paramref name="message"/> as its <c>failure_message</c> (<c>counts.failed</c> rises, <c>latest.failed</c> is
    /// set); the job keeps running, as with an unlimited <c>tolerable_failed_checkpoints</c>.
    /// </summary>
    public void FailCheckpoints(string jobId, bool fail, string message = "Asynchronous task checkpoint failed.") =>
        _simulation.Sync(sim => sim.Faults.FailCheckpoints(Normalize(jobId), fail, message));

    /// <summary>
    /// Forgets the results of the savepoints and stops triggered so far for <paramref name="jobId"/>, as if
    /// <c>rest.async.store-duration</c> had passed: their status now answers 404 (operations still running go on and
    /// still take effect), and the same trigger id starts a new operation.
    /// </summary>
    public void DropOperationResults(string jobId) => _simulation.Sync(sim => sim.Operations.Forget(Normalize(jobId)));

    /// <summary>
    /// The next <paramref name="count"/> HTTP requests, of any kind, fail with <paramref name="status"/> and do nothing:
    /// 503 answers Flink's leader-election body, any other status Flink's "Internal server error." body.
    /// </summary>
    public void FailNextRequests(int count, int status = 503)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        _simulation.Sync(sim => sim.Faults.FailNextRequests(count, status));
    }

    private static string Normalize(string jobId) => jobId.ToLowerInvariant();
}
