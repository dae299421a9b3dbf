using FlinkOpsBot.Core.Clusters;

namespace FlinkOpsBot.Core.Checks;

/// <summary>
/// Rescaling on a <c>cmf</c> cluster. CMF has no call for a job's resource requirements (Flink REST
/// <c>PUT /jobs/:jobid/resource-requirements</c>), and a rescale behind the Flink Kubernetes operator's back would leave the
/// application's <c>spec.job.parallelism</c> saying otherwise; so even under the adaptive scheduler a job on CMF is rescaled
/// by suspending it with a savepoint and starting it from that savepoint with the new parallelism.
/// </summary>
internal static class CmfScheduler
{
    /// <summary>
    /// For a <c>cmf</c> cluster whose application defaults set <c>jobmanager.scheduler: adaptive</c>, the note that the
    /// in-place path is not taken; null for any other platform or scheduler.
    /// </summary>
    /// <param name="cluster">The run's cluster.</param>
    /// <param name="adaptive">Whether <c>jobmanager.scheduler</c> is <c>adaptive</c>.</param>
    public static string? InPlaceRefused(ClusterDefinition cluster, bool adaptive) =>
        cluster.Platform == ClusterDefinition.Cmf && adaptive
            ? "; on CMF the job is not rescaled in place (CMF has no resource-requirements call, and the application's spec.job.parallelism must follow): " +
              "suspend with a savepoint, then start it with the new parallelism"
            : null;
}
