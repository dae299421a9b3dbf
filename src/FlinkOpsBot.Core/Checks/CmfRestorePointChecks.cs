using FlinkOpsBot.Core.Clusters;

namespace FlinkOpsBot.Core.Checks;

/// <summary>
/// Restore points on a <c>cmf</c> cluster. Cancelling a job there suspends its FlinkApplication, and the Flink Kubernetes
/// operator then tears down the application's JobManager: its checkpoint statistics (Flink REST
/// <c>GET /jobs/:jobid/checkpoints</c>, read through CMF's <c>flink-web-ui</c> proxy) are gone, so "the checkpoint the job
/// retains when it is cancelled" cannot be read after the cancel.
/// </summary>
internal static class CmfRestorePoints
{
    /// <summary>
    /// For a <c>cmf</c> cluster, why <c>--{input} last-checkpoint</c> resolved at the cancel is refused, with what to pass
    /// instead; null for any other platform.
    /// </summary>
    /// <param name="cluster">The run's cluster.</param>
    /// <param name="input">The recipe input that named the restore point (e.g. <c>from</c>).</param>
    public static string? CheckpointAtCancelRefused(ClusterDefinition cluster, string input) =>
        cluster.Platform != ClusterDefinition.Cmf
            ? null
            : $"--{input} last-checkpoint is not supported on CMF: a cancelled application's JobManager is torn down, so the checkpoint it retained " +
              $"cannot be read after the cancel; pass --{input} last-savepoint or a checkpoint path (e.g. s3://…/chk-N)";
}
