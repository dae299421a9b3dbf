using FlinkOpsBot.FlinkSim.Engine;
using static FlinkOpsBot.FlinkSim.Rest.FlinkHttp;

namespace FlinkOpsBot.FlinkSim.Rest.Checkpoints;

/// <summary>GET /jobs/:jobid/checkpoints and /jobs/:jobid/checkpoints/config.</summary>
internal static class CheckpointEndpoints
{
    // Flink's execution.checkpointing.timeout default, also the default changelog materialization interval: 10 min.
    private const long TenMinutes = 600_000;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/jobs/{jobid}/checkpoints", GetStatistics);
        routes.MapGet("/jobs/{jobid}/checkpoints/config", GetConfig);
    }

    private static IResult GetStatistics(string jobid, SimCluster cluster) => WithJob(jobid, cluster, (job, _) =>
    {
        var stats = job.Checkpoints;
        var window = stats.SummaryWindowRecords;
        var latest = new LatestCheckpoints(
            Map(stats.LatestCompleted), Map(stats.LatestSavepoint), Map(stats.LatestFailed),
            stats.LatestRestored is { } restored
                ? new RestoredCheckpointStatistics(restored.Id, Millis(restored.RestoredAt), restored.IsSavepoint, restored.ExternalPath)
                : null);
        var summary = new CheckpointSummary(
            Summarize(window.Select(c => c.CheckpointedSize)), Summarize(window.Select(c => c.StateSize)),
            Summarize(window.Select(c => Millis(c.LatestAckAt - c.TriggeredAt))),
            Summarize(window.Select(_ => 0L)), Summarize(window.Select(_ => 0L)), Summarize(window.Select(_ => 0L)));
        return Json(
            new CheckpointingStatistics(
                new CheckpointCounts(stats.Restored, stats.Total, stats.InProgress, stats.Completed, stats.Failed),
                summary, latest, stats.History.Select(record => Map(record)!).ToList()),
            FlinkJsonContext.Wire.CheckpointingStatistics);
    });

    private static IResult GetConfig(string jobid, SimCluster cluster) => WithJob(jobid, cluster, (job, _) => Json(
        new CheckpointConfigInfo(
            "EXACTLY_ONCE", Millis(job.CheckpointInterval), Timeout: TenMinutes, MinPause: 0, MaxConcurrent: 1,
            new ExternalizedCheckpointInfo(Enabled: true, DeleteOnCancellation: false),
            "EmbeddedRocksDBStateBackend", "FileSystemCheckpointStorage", UnalignedCheckpoints: false,
            TolerableFailedCheckpoints: int.MaxValue, AlignedCheckpointTimeout: 0, CheckpointsAfterTasksFinish: true,
            StateChangelogEnabled: false, ChangelogPeriodicMaterializationInterval: TenMinutes, ChangelogStorage: "memory"),
        FlinkJsonContext.Wire.CheckpointConfigInfo));

    private static CheckpointStatistics? Map(CheckpointRecord? record)
    {
        if (record is null) return null;
        var (className, status) = record.State switch
        {
            CheckpointState.Completed => ("completed", "COMPLETED"),
            CheckpointState.Failed => ("failed", "FAILED"),
            _ => ("in_progress", "IN_PROGRESS"),
        };
        var type = record.Kind switch
        {
            CheckpointKind.Savepoint => "SAVEPOINT",
            CheckpointKind.SyncSavepoint => "SYNC_SAVEPOINT",
            _ => "CHECKPOINT",
        };
        var completed = record.State is CheckpointState.Completed;
        return new CheckpointStatistics(
            className, record.Id, status, record.IsSavepoint, record.SavepointFormat, Millis(record.TriggeredAt),
            Millis(record.LatestAckAt), record.CheckpointedSize, record.StateSize, Millis(record.LatestAckAt - record.TriggeredAt),
            AlignmentBuffered: 0, ProcessedData: 0, PersistedData: 0, record.Subtasks, completed ? record.Subtasks : 0, type,
            new Dictionary<string, string>(),
            completed ? record.ExternalPath : null, completed ? record.Discarded : null,
            record.FailedAt is { } failedAt ? Millis(failedAt) : null, record.FailureMessage);
    }

    // Percentiles by nearest rank; with no sample Flink reports 0 and NaN.
    private static StatsSummary Summarize(IEnumerable<long> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return new StatsSummary(0, 0, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double Percentile(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new StatsSummary(
            sorted[0], sorted[^1], (long)sorted.Average(), Percentile(0.5), Percentile(0.9), Percentile(0.95), Percentile(0.99), Percentile(0.999));
    }
}
