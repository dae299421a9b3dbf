namespace FlinkOpsBot.FlinkSim;

/// <summary>
/// Timings and shape of a simulated Flink cluster. The defaults are close to a real cluster's pace; use
/// <see cref="Demo"/> for a cluster that a person can watch in a terminal.
/// </summary>
public sealed class FlinkSimOptions
{
    /// <summary>Time between checkpoint triggers of a RUNNING job, unless the job sets its own. Default 10 s.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time from a checkpoint's trigger to its completion (or failure). Default 1 s.</summary>
    public TimeSpan CheckpointDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time from triggering a savepoint or a stop-with-savepoint to its result. Default 2 s.</summary>
    public TimeSpan SavepointDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Time from submission to RUNNING: half INITIALIZING, half CREATED (Flink's order). Default 2 s.</summary>
    public TimeSpan JobStartDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Time a job spends CANCELLING before it is CANCELED. Default 1 s.</summary>
    public TimeSpan CancelDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Time after reaching RUNNING at which a job of a <see cref="JarBehavior.FailsAfterStart"/> jar fails; capped at half
    /// the job's checkpoint interval so that such a job never completes a checkpoint. Default 3 s.
    /// </summary>
    public TimeSpan FaultyJobFailsAfter { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Delay of the fixed-delay restart strategy: RESTARTING to RUNNING after a failure. Default 1 s (Flink's default).</summary>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Restarts a job gets before its next failure is final (FAILED). Default 3.</summary>
    public int RestartAttempts { get; set; } = 3;

    /// <summary>How long a finished savepoint or stop result can be read (Flink's <c>rest.async.store-duration</c>). Default 5 min.</summary>
    public TimeSpan AsyncOperationStoreDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Task slots in the cluster. Default 32.</summary>
    public int TotalSlots { get; set; } = 32;

    /// <summary>TaskManagers in the cluster (the slots are spread over them). Default 4.</summary>
    public int TaskManagers { get; set; } = 4;

    /// <summary>
    /// The cluster's default savepoint directory (<c>execution.checkpointing.savepoint-dir</c>); <c>null</c> for none,
    /// in which case a savepoint or stop without a target directory is refused with 400, as Flink does.
    /// </summary>
    public string? SavepointDirectory { get; set; } = "s3://flink-demo/savepoints";

    /// <summary>Where checkpoints are written: <c>&lt;dir&gt;/&lt;jobid&gt;/chk-&lt;n&gt;</c>. Default <c>s3://flink-demo/checkpoints</c>.</summary>
    public string CheckpointDirectory { get; set; } = "s3://flink-demo/checkpoints";

    /// <summary>The Flink version the cluster reports (<c>/config</c>, <c>/overview</c>). Default 1.20.1.</summary>
    public string FlinkVersion { get; set; } = "1.20.1";

    /// <summary>
    /// Whether the server also serves the admin API under <c>/_sim/</c> (fault injection, the mutation ledger and the
    /// call log over HTTP, for a harness in another process). Default <c>false</c>: the paths are then unknown, 404 as
    /// any other in Flink's REST API.
    /// </summary>
    public bool AdminApi { get; set; }

    /// <summary>
    /// The CMF version the simulated CMF (<c>/cmf/api/v1</c>) reports and answers as. Default <c>2.3.1</c>. From
    /// <c>2.2</c> down it answers as CMF 2.2 did where 2.3 changed status codes: <c>POST /environments</c> 201 (not
    /// 200), <c>DELETE</c> of an environment or application 200 (not 204).
    /// </summary>
    public string CmfVersion { get; set; } = "2.3.1";

    /// <summary>Fast timings for the bot's local-mode demo: sub-second savepoints, 1 s checkpoints, about 1 s to start.</summary>
    public static FlinkSimOptions Demo() => new()
    {
        CheckpointInterval = TimeSpan.FromSeconds(1),
        CheckpointDuration = TimeSpan.FromMilliseconds(200),
        SavepointDuration = TimeSpan.FromMilliseconds(600),
        JobStartDuration = TimeSpan.FromSeconds(1),
        CancelDuration = TimeSpan.FromMilliseconds(400),
        FaultyJobFailsAfter = TimeSpan.FromMilliseconds(400),
        RestartDelay = TimeSpan.FromMilliseconds(500),
    };

    internal FlinkSimOptions Copy() => (FlinkSimOptions)MemberwiseClone();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CheckpointInterval, TimeSpan.Zero, nameof(CheckpointInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckpointDuration, TimeSpan.Zero, nameof(CheckpointDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(SavepointDuration, TimeSpan.Zero, nameof(SavepointDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(JobStartDuration, TimeSpan.Zero, nameof(JobStartDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(CancelDuration, TimeSpan.Zero, nameof(CancelDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(FaultyJobFailsAfter, TimeSpan.Zero, nameof(FaultyJobFailsAfter));
        ArgumentOutOfRangeException.ThrowIfLessThan(RestartDelay, TimeSpan.Zero, nameof(RestartDelay));
        ArgumentOutOfRangeException.ThrowIfNegative(RestartAttempts, nameof(RestartAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(AsyncOperationStoreDuration, TimeSpan.Zero, nameof(AsyncOperationStoreDuration));
        ArgumentOutOfRangeException.ThrowIfNegative(TotalSlots, nameof(TotalSlots));
        ArgumentOutOfRangeException.ThrowIfLessThan(TaskManagers, 1, nameof(TaskManagers));
        ArgumentException.ThrowIfNullOrWhiteSpace(CheckpointDirectory, nameof(CheckpointDirectory));
        ArgumentException.ThrowIfNullOrWhiteSpace(FlinkVersion, nameof(FlinkVersion));
        if (!Version.TryParse(CmfVersion, out _)) throw new ArgumentException($"CmfVersion must be a version such as 2.3.1 (got '{CmfVersion}').", nameof(CmfVersion));
    }
}
