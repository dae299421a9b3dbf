namespace FlinkOpsBot.FlinkSim.Engine;

/// <summary>
/// One checkpoint or savepoint of a job, from trigger to completion or failure (Flink's checkpoint stats).
/// Changed only through <see cref="CheckpointStats"/>, which keeps the counts in step.
/// </summary>
internal sealed class CheckpointRecord(long id, CheckpointKind kind, string? savepointFormat, DateTimeOffset triggeredAt, int subtasks)
{
    public long Id { get; } = id;
    public CheckpointKind Kind { get; } = kind;
    public bool IsSavepoint => Kind is not CheckpointKind.Checkpoint;

    /// <summary>CANONICAL or NATIVE for savepoints; <c>null</c> for checkpoints.</summary>
    public string? SavepointFormat { get; } = savepointFormat;

    public DateTimeOffset TriggeredAt { get; } = triggeredAt;
    public int Subtasks { get; } = subtasks;
    public CheckpointState State { get; private set; } = CheckpointState.InProgress;

    /// <summary>When the last subtask acknowledged; the trigger time while none has.</summary>
    public DateTimeOffset LatestAckAt { get; private set; } = triggeredAt;

    public long StateSize { get; private set; }
    public long CheckpointedSize { get; private set; }
    public string? ExternalPath { get; private set; }

    /// <summary>True once a newer checkpoint subsumed this one and its files were deleted.</summary>
    public bool Discarded { get; set; }

    public DateTimeOffset? FailedAt { get; private set; }
    public string? FailureMessage { get; private set; }

    public void Complete(DateTimeOffset at, string externalPath, long stateSize, long checkpointedSize)
    {
        State = CheckpointState.Completed;
        LatestAckAt = at;
        ExternalPath = externalPath;
        StateSize = stateSize;
        CheckpointedSize = checkpointedSize;
    }

    public void Fail(DateTimeOffset at, string message)
    {
        State = CheckpointState.Failed;
        FailedAt = at;
        FailureMessage = message;
    }
}

/// <summary>What a <see cref="CheckpointRecord"/> is; the wire name is Flink's <c>checkpoint_type</c>.</summary>
internal enum CheckpointKind
{
    /// <summary>A periodic checkpoint (<c>CHECKPOINT</c>).</summary>
    Checkpoint,

    /// <summary>A savepoint the job keeps running after (<c>SAVEPOINT</c>).</summary>
    Savepoint,

    /// <summary>The savepoint of a stop-with-savepoint (<c>SYNC_SAVEPOINT</c>).</summary>
    SyncSavepoint,
}

/// <summary>Flink's <c>CheckpointStatsStatus</c>.</summary>
internal enum CheckpointState
{
    InProgress,
    Completed,
    Failed,
}

/// <summary>The snapshot a job run was restored from (Flink's <c>latest.restored</c>).</summary>
internal sealed record RestoreRecord(long Id, DateTimeOffset RestoredAt, bool IsSavepoint, string ExternalPath);

/// <summary>
/// A snapshot the cluster can restore a job from: a savepoint, or a retained checkpoint; with the job that wrote it
/// (<c>null</c> for a failover's own checkpoint, where it does not matter), and the vertices whose state it holds
/// (a restore into a program without one of them needs <c>allowNonRestoredState</c>).
/// </summary>
internal sealed record RestorePoint(
    long CheckpointId, bool IsSavepoint, string Path, string? SourceJobId = null, string? SourceJobName = null,
    IReadOnlyList<string>? StateVertexIds = null);
