namespace FlinkOpsBot.FlinkSim.Engine;

/// <summary>Flink's <c>JobStatus</c> names, in the order Flink declares them.</summary>
internal static class JobStatus
{
    public const string Initializing = "INITIALIZING";
    public const string Created = "CREATED";
    public const string Running = "RUNNING";
    public const string Failing = "FAILING";
    public const string Failed = "FAILED";
    public const string Cancelling = "CANCELLING";
    public const string Canceled = "CANCELED";
    public const string Finished = "FINISHED";
    public const string Restarting = "RESTARTING";
    public const string Suspended = "SUSPENDED";
    public const string Reconciling = "RECONCILING";

    public static readonly IReadOnlyList<string> All =
        [Initializing, Created, Running, Failing, Failed, Cancelling, Canceled, Finished, Restarting, Suspended, Reconciling];

    /// <summary>FAILED, CANCELED and FINISHED: the job will never run again.</summary>
    public static bool IsGloballyTerminal(string status) => status is Failed or Canceled or Finished;
}

/// <summary>Flink's <c>ExecutionState</c> names (of tasks and vertices), in the order Flink declares them.</summary>
internal static class ExecutionState
{
    public static readonly IReadOnlyList<string> All =
        ["CREATED", "SCHEDULED", "DEPLOYING", "RUNNING", "FINISHED", "CANCELING", "CANCELED", "FAILED", "RECONCILING", "INITIALIZING"];

    /// <summary>The state every task of a job is in while the job has <paramref name="jobStatus"/>.</summary>
    public static string Of(string jobStatus) => jobStatus switch
    {
        JobStatus.Running => "RUNNING",
        JobStatus.Finished => "FINISHED",
        JobStatus.Cancelling => "CANCELING",
        JobStatus.Canceled or JobStatus.Suspended => "CANCELED",
        JobStatus.Failing or JobStatus.Failed => "FAILED",
        JobStatus.Reconciling => "RECONCILING",
        _ => "CREATED",
    };
}
