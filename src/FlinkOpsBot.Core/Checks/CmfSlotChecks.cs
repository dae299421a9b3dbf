using FlinkOpsBot.Core.Clusters;

namespace FlinkOpsBot.Core.Checks;

/// <summary>
/// Task slots on a <c>cmf</c> cluster. CMF deploys every FlinkApplication on a Flink cluster of its own (a JobManager and
/// TaskManagers the Flink Kubernetes operator sizes to <c>spec.job.parallelism</c> and <c>taskmanager.numberOfTaskSlots</c>),
/// so there is no shared pool of free slots a new or resumed job must fit in: what limits it is the Kubernetes namespace's
/// capacity and quota, which CMF does not report.
/// </summary>
internal static class CmfSlots
{
    /// <summary>
    /// For a <c>cmf</c> cluster, the evidence that <c>slots-free</c> passes because the job gets its own Flink cluster; null for
    /// any other platform (the shared-slot check applies).
    /// </summary>
    /// <param name="cluster">The run's cluster.</param>
    /// <param name="parallelism">The new job's parallelism, or null for the jar's (application's) default.</param>
    public static string? OwnCluster(ClusterDefinition cluster, int? parallelism)
    {
        if (cluster.Platform != ClusterDefinition.Cmf) return null;
        var size = parallelism is { } p ? $"parallelism {p}" : "the application's parallelism";
        return $"{size}: CMF starts the application on a Flink cluster of its own (environment {cluster.Environment}), so no shared slots are needed; " +
               "Kubernetes capacity and quota show when its TaskManagers are scheduled";
    }
}
