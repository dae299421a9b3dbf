namespace FlinkOpsBot.FlinkSim;

/// <summary>A jar uploaded to the simulated cluster (what Flink lists under <c>GET /jars</c>).</summary>
public sealed class SimJar
{
    internal SimJar(string id, string fileName, JarBehavior behavior, DateTimeOffset uploaded, string? statefulOperatorUid = null)
    {
        StatefulOperatorUid = statefulOperatorUid;
        Id = id;
        FileName = fileName;
        UploadedBehavior = behavior;
        _behavior = behavior;
        Uploaded = uploaded;
        JobName = JobNameOf(fileName);
        EntryClass = "com.example.flink." + string.Concat(JobName.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..])) + "Job";
    }

    /// <summary>The jar id, <c>&lt;uuid&gt;_&lt;file name&gt;</c> as Flink's upload names it; used in <c>POST /jars/:jarid/run</c>.</summary>
    public string Id { get; }

    /// <summary>The uploaded file's name, e.g. <c>orders-enricher-2.4.0.jar</c>.</summary>
    public string FileName { get; }

    private volatile JarBehavior _behavior;

    /// <summary>
    /// How the jobs run from this jar behave from now on: what it was uploaded with, unless a fault changed it
    /// (<see cref="SimFaults.FailAfterRestore"/>). Jobs read it when they start running (and on every restart).
    /// </summary>
    public JarBehavior Behavior
    {
        get => _behavior;
        internal set => _behavior = value;
    }

    /// <summary>How the jar behaved when it was uploaded; <see cref="SimFaults.ClearAll"/> restores it.</summary>
    public JarBehavior UploadedBehavior { get; }

    /// <summary>When the jar was uploaded.</summary>
    public DateTimeOffset Uploaded { get; }

    /// <summary>
    /// The name its program gives the job: the file name up to the version, e.g. <c>orders-enricher</c> for
    /// <c>orders-enricher-2.5.0-faulty.jar</c>.
    /// </summary>
    public string JobName { get; }

    /// <summary>
    /// The uid its program gives the keyed (stateful) operator when it differs from the one earlier versions gave it, e.g.
    /// <c>dedup-v3</c>; null when unchanged. A new uid gives that vertex a new id (see <c>POST /jars/:jarid/plan</c>), so a
    /// savepoint of an earlier version restores into this jar only with <c>allowNonRestoredState</c>.
    /// </summary>
    public string? StatefulOperatorUid { get; }

    /// <summary>The main class its manifest names, e.g. <c>com.example.flink.OrdersEnricherJob</c>.</summary>
    public string EntryClass { get; }

    private static string JobNameOf(string fileName)
    {
        var parts = Path.GetFileNameWithoutExtension(fileName).Split('-', StringSplitOptions.RemoveEmptyEntries);
        var name = parts.TakeWhile(part => !char.IsAsciiDigit(part[0])).ToArray();
        return name.Length > 0 ? string.Join('-', name) : Path.GetFileNameWithoutExtension(fileName);
    }
}
