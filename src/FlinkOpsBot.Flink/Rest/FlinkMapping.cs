using FlinkOpsBot.Core.Platforms;

namespace FlinkOpsBot.Flink.Rest;

/// <summary>Maps Flink's wire shapes to Core's platform models and back; the only place that knows both.</summary>
internal static class FlinkMapping
{
    /// <summary>The savepoint directory key since Flink 1.20, and the older key it replaced.</summary>
    private static readonly string[] SavepointDirectoryKeys = ["execution.checkpointing.savepoint-dir", "state.savepoints.dir"];

    /// <summary>The path Flink reports for a checkpoint that was not written to durable storage.</summary>
    private const string NotExternallyAddressable = "<checkpoint-not-externally-addressable>";

    private const string Completed = "COMPLETED";

    public static ClusterOverview ToOverview(ClusterOverviewDto dto) =>
        new(dto.FlinkVersion, dto.TaskManagers, dto.SlotsTotal, dto.SlotsAvailable);

    public static IReadOnlyList<JobSummary> ToJobSummaries(JobsOverviewDto dto) =>
        [.. dto.Jobs.Select(j => new JobSummary(j.Jid, j.Name, new JobStatus(j.State), At(j.StartTime), AtOrNull(j.EndTime)))];

    public static JobDetails ToJobDetails(JobDetailsDto dto) => new(
        dto.Jid,
        dto.Name,
        new JobStatus(dto.State),
        At(dto.StartTime),
        AtOrNull(dto.EndTime),
        [.. dto.Vertices.Select(v => new JobVertex(v.Id, v.Name, v.Parallelism, v.MaxParallelism))],
        (dto.Timestamps ?? new Dictionary<string, long>())
            .Where(t => t.Value > 0)
            .ToDictionary(t => t.Key, t => At(t.Value)));

    public static CheckpointStats ToCheckpointStats(CheckpointingStatisticsDto dto) => new(
        dto.Counts.Completed,
        dto.Counts.Failed,
        dto.Counts.Restored,
        dto.Latest.Completed is { } completed ? ToCheckpointInfo(completed) : null,
        dto.Latest.Failed is { } failed ? ToCheckpointInfo(failed) : null,
        ExternalPathOrNull(dto.Latest.Restored?.ExternalPath),
        dto.Latest.Restored is { } restored ? At(restored.RestoreTimestamp) : null,
        [.. dto.History.Select(ToCheckpointInfo)]);

    public static CheckpointConfig ToCheckpointConfig(CheckpointConfigDto dto) =>
        new(TimeSpan.FromMilliseconds(dto.Interval), TimeSpan.FromMilliseconds(dto.Timeout), dto.TolerableFailedCheckpoints);

    public static IReadOnlyList<JobException> ToJobExceptions(JobExceptionsDto dto, int max) =>
        [.. (dto.ExceptionHistory?.Entries ?? []).Take(max).Select(e => new JobException(
            FlinkErrors.FirstLine(string.IsNullOrWhiteSpace(e.Stacktrace) ? e.ExceptionName : e.Stacktrace),
            At(e.Timestamp),
            e.TaskName))];

    public static string? ToDefaultSavepointDirectory(IReadOnlyList<ConfigEntryDto> entries) =>
        SavepointDirectoryKeys
            .Select(key => entries.FirstOrDefault(e => e.Key == key)?.Value)
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));

    public static IReadOnlyList<JarInfo> ToJars(JarListDto dto) =>
        [.. dto.Files.Select(f => new JarInfo(f.Id, f.Name, At(f.Uploaded)))];

    /// <summary>
    /// COMPLETED covers success (a location) and failure (a failure cause); any other status id, including one a
    /// newer Flink may add, reads as still in progress, and the caller's deadline bounds the wait.
    /// </summary>
    public static SavepointOperation ToSavepointOperation(SavepointStatusDto dto) => dto switch
    {
        { Status.Id: Completed, Operation.Location: { } location } => new(SavepointOperationStatus.Completed, Location: location),
        { Status.Id: Completed } => new(SavepointOperationStatus.Failed, Failure: FailureLine(dto.Operation?.FailureCause)),
        _ => new(SavepointOperationStatus.InProgress),
    };

    public static JarRunRequestDto ToDto(JarRunRequest request) => new(
        request.JobId,
        request.Parallelism,
        request.SavepointPath,
        request.AllowNonRestoredState,
        request.ProgramArgs);

    private static CheckpointInfo ToCheckpointInfo(CheckpointStatisticsDto dto) => new(
        dto.Id,
        dto.Status,
        dto.IsSavepoint,
        At(dto.TriggerTimestamp),
        dto.Status == Completed && dto.LatestAckTimestamp is { } acknowledged ? At(acknowledged) : null,
        ExternalPathOrNull(dto.ExternalPath),
        dto.FailureMessage is { } message ? FlinkErrors.FirstLine(message) : null);

    private static string FailureLine(FailureCauseDto? cause) =>
        (cause?.StackTrace ?? cause?.Class) is { } text && !string.IsNullOrWhiteSpace(text)
            ? FlinkErrors.FirstLine(text)
            : "Flink reported the operation finished, with neither a savepoint location nor a failure cause.";

    private static string? ExternalPathOrNull(string? path) =>
        string.IsNullOrEmpty(path) || path == NotExternallyAddressable ? null : path;

    private static DateTimeOffset At(long epochMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(epochMilliseconds);

    /// <summary>Flink writes -1 for "not yet" (e.g. the end time of a running job).</summary>
    private static DateTimeOffset? AtOrNull(long epochMilliseconds) => epochMilliseconds > 0 ? At(epochMilliseconds) : null;
}
