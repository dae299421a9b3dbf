using FlinkOpsBot.Core.Clusters;

namespace FlinkOpsBot.Core.Checks;

/// <summary>
/// Jars on a <c>cmf</c> cluster. CMF has no jar listing before its 2.4 Artifacts API: an application names its jar by URI
/// (<c>spec.job.jarURI</c>, e.g. <c>local:///opt/flink/usrlib/orders-2.4.jar</c> inside the image, or <c>s3://…</c>), and only
/// the URIs the environment's applications already use can be listed. A jar that is not listed is accepted by its form
/// alone: a URI, or a file name the platform resolves in the image's user-library directory.
/// </summary>
internal static class CmfJars
{
    /// <summary>
    /// For a <c>cmf</c> cluster, the evidence that <paramref name="wanted"/> is usable as a jar URI (null when it is not a URI
    /// nor a <c>.jar</c> file name, or the cluster is not <c>cmf</c>).
    /// </summary>
    public static string? AcceptByForm(ClusterDefinition cluster, string wanted)
    {
        if (cluster.Platform != ClusterDefinition.Cmf) return null;
        var isUri = Uri.TryCreate(wanted, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1;
        var isFile = !isUri && wanted.EndsWith(".jar", StringComparison.OrdinalIgnoreCase) && !wanted.Contains('/', StringComparison.Ordinal);
        if (!isUri && !isFile) return null;
        return $"{wanted}: accepted by its form only; CMF cannot list artifacts (before 2.4), so whether the image or store holds it shows when the application starts";
    }
}
