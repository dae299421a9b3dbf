using FlinkOpsBot.FlinkSim.Engine;

namespace FlinkOpsBot.FlinkSim;

/// <summary>
/// Faults a test arms on the simulated cluster. Thread-safe; each takes effect from the moment it is armed and lasts
/// until it is used up or <see cref="ClearAll"/>. Request faults (<see cref="FailNextRequests"/>,
/// <see cref="FailRandomly"/>, <see cref="HangNextRequests"/>, <see cref="AddLatency"/>) apply to Flink's REST API
/// only, never to the admin API under <c>/_sim/</c>. Everything else happens on the simulation's clock.
/// </summary>
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

    /// <summary>
    /// Adds <paramref name="latency"/> to every HTTP request from now on, or to the next <paramref name="count"/>
    /// requests only. The request is handled at once (at the simulation's now) and its response is held back for
    /// <paramref name="latency"/> of <em>real</em> time, even when the simulation runs on a test clock: a slow network
    /// or an overloaded JobManager, which a client's timeout must cope with. A client that gives up during the delay
    /// does not see the answer, but what the request did stays done (the case a retry with the same trigger id covers).
    /// <see cref="TimeSpan.Zero"/> removes the latency.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="latency"/> is negative or <paramref name="count"/> is below 1.</exception>
    public void AddLatency(TimeSpan latency, int? count = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        if (count is { } n) ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(count));
        _simulation.Sync(sim => sim.Faults.AddLatency(latency, count));
    }

    /// <summary>
    /// The next <paramref name="count"/> HTTP requests, of any kind, are never answered and do nothing: each waits until
    /// the client gives up (its timeout or cancellation aborts the request) or the server stops. A mutating one is
    /// recorded in the call log with status 0 once its client has given up. 0 disarms the requests not yet taken; requests already hanging go on
    /// hanging.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void HangNextRequests(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _simulation.Sync(sim => sim.Faults.HangNextRequests(count));
    }

    /// <summary>
    /// From now on each HTTP request fails with probability <paramref name="rate"/> (0 to 1; 0 turns it off) with
    /// <paramref name="status"/> and does nothing, with the bodies of <see cref="FailNextRequests"/>: chaos for a
    /// harness. Draws come from a generator seeded with <paramref name="seed"/> when given, so that the same requests
    /// in the same order fail the same way; from an unseeded one otherwise.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is outside 0 to 1, or <paramref name="status"/> below 400.</exception>
    public void FailRandomly(double rate, int status = 503, int? seed = null)
    {
        if (!(rate is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The rate is a probability from 0 to 1.");
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        _simulation.Sync(sim => sim.Faults.FailRandomly(rate, status, seed));
    }

    /// <summary>
    /// From now on the jobs of the jar with id or file name <paramref name="jarIdOrFileName"/> (every upload of that
    /// file) fail as soon as they run when started from a savepoint or checkpoint, as
    /// <see cref="JarBehavior.FailsOnRestore"/>: restart, fail again, FAILED once the restart attempts are used up.
    /// Jobs started without state run fine. <paramref name="on"/> <c>false</c> gives the jar back the behaviour it was
    /// uploaded with. Applies to jobs that start running (or restart) after it is armed.
    /// </summary>
    /// <exception cref="ArgumentException">No jar has that id or file name.</exception>
    public void FailAfterRestore(string jarIdOrFileName, bool on = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jarIdOrFileName);
        _simulation.Sync(sim =>
        {
            var jars = sim.Jars.Where(jar => jar.Id == jarIdOrFileName || jar.FileName == jarIdOrFileName).ToList();
            if (jars.Count == 0)
            {
                throw new ArgumentException(
                    $"No jar has the id or file name '{jarIdOrFileName}' (jars: {string.Join(", ", sim.Jars.Select(jar => jar.FileName))}).",
                    nameof(jarIdOrFileName));
            }
            foreach (var jar in jars) jar.Behavior = on ? JarBehavior.FailsOnRestore : jar.UploadedBehavior;
        });
    }

    /// <summary>
    /// While <paramref name="on"/> is set, job <paramref name="jobId"/> is in a restart loop: soon after each RUNNING
    /// (<see cref="FlinkSimOptions.FaultyJobFailsAfter"/>, at most half its checkpoint interval, so no checkpoint
    /// completes) it fails with a sink's connection error, which appears in <c>/jobs/:jobid/exceptions</c>, goes
    /// RESTARTING, and runs again after <see cref="FlinkSimOptions.RestartDelay"/>, with <c>numRestarts</c> rising and no
    /// limit (<see cref="FlinkSimOptions.RestartAttempts"/> does not end it). Turned off, the job stays RUNNING after
    /// its next restart. <paramref name="cause"/> picks the failure: a sink that cannot reach Kafka (default, an external
    /// system) or a record the job cannot deserialize (<see cref="RestartLoopCause.PoisonRecord"/>, data that needs a hotfix).
    /// </summary>
    public void RestartLoop(string jobId, bool on, RestartLoopCause cause = RestartLoopCause.ExternalSystem) =>
        _simulation.Sync(sim => sim.RestartLoop(Normalize(jobId), on, cause));

    /// <summary>
    /// Sets the input rate of the application that job <paramref name="jobIdOrName"/> runs, in records per second over
    /// all source subtasks, from now on (it outlives the job: a redeployed job of the same name reads the same topic).
    /// Busy time and backpressure follow from it and the parallelism: above the keyed process' capacity
    /// (1 000 records/s per subtask) that vertex is the bottleneck (busy ~950 ms/s), the source upstream of it is
    /// back-pressured (HIGH) and its <c>pendingRecords</c> grows; scaling up brings busy time down.
    /// </summary>
    /// <exception cref="ArgumentException">No job has that name or JobID.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="recordsPerSecond"/> is negative.</exception>
    public void SetInputRate(string jobIdOrName, double recordsPerSecond)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobIdOrName);
        if (!(recordsPerSecond >= 0 && double.IsFinite(recordsPerSecond)))
        {
            throw new ArgumentOutOfRangeException(nameof(recordsPerSecond), recordsPerSecond, "The input rate is a finite number of records per second, 0 or more.");
        }
        _simulation.Sync(sim =>
        {
            var job = sim.FindJob(jobIdOrName) ?? throw new ArgumentException(
                $"No job is named or has the JobID '{jobIdOrName}' (jobs: {string.Join(", ", sim.Jobs.Select(j => j.Name).Distinct())}).",
                nameof(jobIdOrName));
            sim.Load.SetInputRate(job.Name, recordsPerSecond, sim.Now);
        });
    }

    /// <summary>
    /// Disarms every fault: request faults, latency, savepoint and checkpoint failures, restart loops; jars get back the
    /// behaviour they were uploaded with. What faults already did stays done (dropped results stay dropped, failed jobs
    /// stay failed), and requests already hanging go on hanging until their client gives up.
    /// </summary>
    public void ClearAll() => _simulation.Sync(sim => sim.ClearFaults());

    private static string Normalize(string jobId) => jobId.ToLowerInvariant();
}
