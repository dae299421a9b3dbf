using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Flink.Cmf;

/// <summary>The CMF client's log lines; each names the cluster. Never a token or secret.</summary>
internal static partial class CmfLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "CMF cluster {Cluster}: application {Application} (job {JobId}) suspended with upgradeMode {UpgradeMode} (trigger id {TriggerId})")]
    public static partial void Suspended(ILogger logger, string cluster, string application, string jobId, string upgradeMode, string? triggerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "CMF cluster {Cluster}: application {Application} started as job {JobId} with {JarUri} from {Savepoint}")]
    public static partial void Started(ILogger logger, string cluster, string application, string jobId, string jarUri, string savepoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "CMF cluster {Cluster}: savepoint {Savepoint} of application {Application} requested")]
    public static partial void SavepointTriggered(ILogger logger, string cluster, string application, string savepoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "CMF cluster {Cluster}: savepoint {Savepoint} of application {Application} deleted")]
    public static partial void SavepointDeleted(ILogger logger, string cluster, string application, string savepoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CMF cluster {Cluster}: the JobManager of application {Application} could not be read through CMF's proxy ({Failure}); using CMF's own status")]
    public static partial void ProxyReadFailed(ILogger logger, string cluster, string application, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "CMF cluster {Cluster}: statement {Statement} created ({Phase})")]
    public static partial void StatementCreated(ILogger logger, string cluster, string statement, string phase);

    [LoggerMessage(Level = LogLevel.Information, Message = "CMF cluster {Cluster}: statement {Statement} set to stopped={Stopped}")]
    public static partial void StatementStopped(ILogger logger, string cluster, string statement, bool stopped);

    [LoggerMessage(Level = LogLevel.Information, Message = "CMF cluster {Cluster}: statement {Statement} deleted")]
    public static partial void StatementDeleted(ILogger logger, string cluster, string statement);
}
