using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Flink.Rest;

/// <summary>The Flink REST client's log lines; each names the cluster.</summary>
internal static partial class FlinkLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Flink cluster {Cluster}: stop-with-savepoint of job {JobId} triggered (trigger id {TriggerId})")]
    public static partial void StopWithSavepointTriggered(ILogger logger, string cluster, string jobId, string triggerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Flink cluster {Cluster}: savepoint of job {JobId} triggered (trigger id {TriggerId})")]
    public static partial void SavepointTriggered(ILogger logger, string cluster, string jobId, string triggerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Flink cluster {Cluster}: resource requirements of job {JobId} set (largest upper bound {Upper})")]
    public static partial void ResourceRequirementsSet(ILogger logger, string cluster, string jobId, int upper);

    [LoggerMessage(Level = LogLevel.Information, Message = "Flink cluster {Cluster}: cancellation of job {JobId} requested")]
    public static partial void CancelRequested(ILogger logger, string cluster, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Flink cluster {Cluster}: jar {JarId} submitted as job {JobId}")]
    public static partial void JarSubmitted(ILogger logger, string cluster, string jarId, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flink cluster {Cluster}: {Method} {Uri} failed ({Failure}); retry {Retry} in {Delay}")]
    public static partial void Retrying(ILogger logger, string cluster, HttpMethod? method, Uri? uri, string failure, int retry, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Flink cluster {Cluster}: circuit opened for {BreakDuration} after repeated failures (last: {Failure})")]
    public static partial void CircuitOpened(ILogger logger, string cluster, TimeSpan breakDuration, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Flink cluster {Cluster}: circuit closed, calls resume")]
    public static partial void CircuitClosed(ILogger logger, string cluster);
}
