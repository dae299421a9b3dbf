using FlinkOpsBot.FlinkSim.Engine;

namespace FlinkOpsBot.FlinkSim;

/// <summary>
/// A live, read-only view of one job of the simulated cluster. Every read catches the cluster up to the clock, so
/// after advancing a test clock the view shows what a real cluster would show then.
/// </summary>
public sealed class SimJob
{
    private readonly Simulation _simulation;
    private readonly Job _job;

    internal SimJob(Simulation simulation, Job job)
    {
        _simulation = simulation;
        _job = job;
    }

    /// <summary>The JobID: 32 lowercase hex characters.</summary>
    public string JobId => _job.JobId;

    /// <summary>The job name, e.g. <c>orders-enricher</c>.</summary>
    public string Name => _job.Name;

    /// <summary>The id of the jar the job runs.</summary>
    public string JarId => _job.Jar.Id;

    /// <summary>Parallelism of every vertex (slots it holds while running).</summary>
    public int Parallelism => _job.Parallelism;

    /// <summary>The program arguments it was submitted with.</summary>
    public IReadOnlyList<string> ProgramArgs => _job.Submission.ProgramArgs;

    /// <summary>The savepoint or checkpoint path it was started from; <c>null</c> if it started without state.</summary>
    public string? RestoredFrom => _job.Submission.RestoreFrom?.Path;

    /// <summary>Whether it was submitted with <c>allowNonRestoredState</c>.</summary>
    public bool AllowNonRestoredState => _job.Submission.AllowNonRestoredState;

    /// <summary>How it claims the snapshot it was restored from: <c>CLAIM</c>, <c>NO_CLAIM</c> (default) or <c>LEGACY</c>.</summary>
    public string ClaimMode => _job.Submission.ClaimMode;

    /// <summary>The Flink <c>JobStatus</c> name now, e.g. <c>RUNNING</c>.</summary>
    public string Status => Read(job => job.Status);

    /// <summary>Restarts after failures so far (Flink's <c>numRestarts</c>).</summary>
    public int RestartCount => Read(job => job.RestartCount);

    /// <summary>When it was submitted.</summary>
    public DateTimeOffset StartTime => Read(job => job.StartTime);

    /// <summary>When it reached FINISHED, CANCELED or FAILED; <c>null</c> before.</summary>
    public DateTimeOffset? EndTime => Read(job => job.EndTime);

    /// <summary>Checkpoints and savepoints completed since it was started or added (Flink's <c>counts.completed</c>).</summary>
    public long CompletedCheckpoints => Read(job => job.Checkpoints.Completed);

    /// <summary>Checkpoints and savepoints that failed.</summary>
    public long FailedCheckpoints => Read(job => job.Checkpoints.Failed);

    /// <summary>The paths of the savepoints it completed (including the one of a stop), oldest first.</summary>
    public IReadOnlyList<string> Savepoints => Read(job => job.SavepointLocations.ToList());

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({JobId})";

    private T Read<T>(Func<Job, T> read) => _simulation.Sync(_ => read(_job));
}
