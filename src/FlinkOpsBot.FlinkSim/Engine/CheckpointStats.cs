namespace FlinkOpsBot.FlinkSim.Engine;

/// <summary>
/// The checkpoint statistics of one job as Flink's <c>CheckpointStatsTracker</c> keeps them: counts, the newest
/// records (history), the latest of each kind, the snapshot the job was restored from, and a summary window.
/// </summary>
internal sealed class CheckpointStats
{
    /// <summary>Flink's <c>web.checkpoints.history</c> default.</summary>
    public const int HistorySize = 10;

    private const int SummaryWindow = 100;

    private readonly LinkedList<CheckpointRecord> _history = new();
    private readonly Queue<CheckpointRecord> _summaryWindow = new();

    public long Restored { get; private set; }
    public long Total { get; private set; }
    public int InProgress { get; private set; }
    public long Completed { get; private set; }
    public long Failed { get; private set; }

    /// <summary>Newest first, at most <see cref="HistorySize"/>.</summary>
    public IEnumerable<CheckpointRecord> History => _history;

    public CheckpointRecord? LatestCompleted { get; private set; }
    public CheckpointRecord? LatestSavepoint { get; private set; }
    public CheckpointRecord? LatestFailed { get; private set; }
    public RestoreRecord? LatestRestored { get; private set; }

    /// <summary>Completed checkpoints and savepoints of the summary window, oldest first.</summary>
    public IReadOnlyCollection<CheckpointRecord> SummaryWindowRecords => _summaryWindow;

    public void Begin(CheckpointRecord record)
    {
        Total++;
        InProgress++;
        _history.AddFirst(record);
        if (_history.Count > HistorySize) _history.RemoveLast();
    }

    public void Complete(CheckpointRecord record, DateTimeOffset at, string externalPath, long stateSize, long checkpointedSize)
    {
        record.Complete(at, externalPath, stateSize, checkpointedSize);
        InProgress--;
        Completed++;
        if (record.IsSavepoint) LatestSavepoint = record;
        else LatestCompleted = record;
        _summaryWindow.Enqueue(record);
        if (_summaryWindow.Count > SummaryWindow) _summaryWindow.Dequeue();
    }

    public void Fail(CheckpointRecord record, DateTimeOffset at, string message)
    {
        record.Fail(at, message);
        InProgress--;
        Failed++;
        LatestFailed = record;
    }

    public void Restore(RestoreRecord restore)
    {
        Restored++;
        LatestRestored = restore;
    }
}
