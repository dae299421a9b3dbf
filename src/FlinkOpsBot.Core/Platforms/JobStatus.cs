namespace FlinkOpsBot.Core.Platforms;

/// <summary>
/// A Flink job status (<c>org.apache.flink.api.common.JobStatus</c>) as an extensible string value, so a status a
/// newer Flink adds does not break parsing. Compared case-sensitively, as Flink sends them (upper case).
/// </summary>
public readonly record struct JobStatus(string Value)
{
    /// <summary>Accepted by the Dispatcher; the JobMaster does not exist yet.</summary>
    public static readonly JobStatus Initializing = new("INITIALIZING");
    /// <summary>Created; nothing running yet.</summary>
    public static readonly JobStatus Created = new("CREATED");
    /// <summary>Some tasks are scheduled or running.</summary>
    public static readonly JobStatus Running = new("RUNNING");
    /// <summary>Failed; cleanup in progress.</summary>
    public static readonly JobStatus Failing = new("FAILING");
    /// <summary>Failed for good (restart strategy exhausted). Globally terminal.</summary>
    public static readonly JobStatus Failed = new("FAILED");
    /// <summary>Cancellation in progress.</summary>
    public static readonly JobStatus Cancelling = new("CANCELLING");
    /// <summary>Cancelled. Globally terminal.</summary>
    public static readonly JobStatus Canceled = new("CANCELED");
    /// <summary>All tasks finished; also the state after stop-with-savepoint. Globally terminal.</summary>
    public static readonly JobStatus Finished = new("FINISHED");
    /// <summary>A full restart is in progress (the restart-loop signal).</summary>
    public static readonly JobStatus Restarting = new("RESTARTING");
    /// <summary>The JobManager lost leadership; terminal for this JobManager only.</summary>
    public static readonly JobStatus Suspended = new("SUSPENDED");
    /// <summary>Recovering; waiting for task reports.</summary>
    public static readonly JobStatus Reconciling = new("RECONCILING");

    /// <summary>True for FAILED, CANCELED and FINISHED.</summary>
    public bool IsGloballyTerminal => this == Failed || this == Canceled || this == Finished;

    /// <inheritdoc />
    public override string ToString() => Value;
}
