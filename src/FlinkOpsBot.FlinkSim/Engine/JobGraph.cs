namespace FlinkOpsBot.FlinkSim.Engine;

/// <summary>One vertex (chain of operators) of a job graph.</summary>
/// <param name="Id">The vertex id, 32 hex.</param>
/// <param name="Name">The operator chain.</param>
/// <param name="Parallelism">Subtasks.</param>
/// <param name="MaxParallelism">Key groups.</param>
/// <param name="Capacity">Records per second one subtask of the vertex can process: with the input rate it sets busy time.</param>
internal sealed record JobVertex(string Id, string Name, int Parallelism, int MaxParallelism, double Capacity);

/// <summary>
/// The job graph every simulated job has: source, keyed process (its state), sink. Vertex ids derive from the jar's
/// program (its name up to the version) and each operator's uid, so that they stay the same across compatible versions
/// of an application, as operator uids make them in a real one; a jar that gives its stateful operator a new uid
/// (<see cref="SimJar.StatefulOperatorUid"/>) has a different id for that vertex, whose state then maps to nothing.
/// </summary>
internal sealed class JobGraph
{
    // Records per second one subtask handles, per vertex: the keyed process (enrichment, dedup, sessions) is the slow one.
    private static readonly double[] Capacities = [5_000, 1_000, 2_500];

    private JobGraph(IReadOnlyList<JobVertex> vertices, string slotSharingGroupId)
    {
        Vertices = vertices;
        SlotSharingGroupId = slotSharingGroupId;
    }

    public IReadOnlyList<JobVertex> Vertices { get; }

    /// <summary>The vertex whose user function fails in a faulty jar, and which holds the keyed state.</summary>
    public JobVertex ProcessVertex => Vertices[1];

    public string SlotSharingGroupId { get; }

    /// <summary>Subtasks over all vertices.</summary>
    public int Subtasks => Vertices.Sum(v => v.Parallelism);

    /// <summary>The graph of a job of <paramref name="jar"/> with every vertex at <paramref name="parallelism"/>.</summary>
    public static JobGraph For(SimJar jar, string jobId, int parallelism) =>
        new(Plan(jar, parallelism), SimIds.StableHex32($"{jobId}/slot-sharing-group"));

    /// <summary>The vertices a job of <paramref name="jar"/> would have (what <c>POST /jars/:jarid/plan</c> shows).</summary>
    public static IReadOnlyList<JobVertex> Plan(SimJar jar, int parallelism)
    {
        var program = jar.JobName;
        var maxParallelism = DefaultMaxParallelism(parallelism);
        string[] names = [$"Source: {program}-events -> Filter", "KeyedProcess -> Map", $"Sink: {program}-out"];
        return names
            .Select((name, index) => new JobVertex(
                SimIds.StableHex32(index == 1 && jar.StatefulOperatorUid is { } uid ? $"{program}/{uid}" : $"{program}/{index}"),
                name, parallelism, maxParallelism, Capacities[index]))
            .ToList();
    }

    /// <summary>The same graph with every vertex at <paramref name="parallelism"/> (an in-place rescale keeps the max parallelism).</summary>
    public JobGraph Rescaled(int parallelism) =>
        new([.. Vertices.Select(v => v with { Parallelism = parallelism })], SlotSharingGroupId);

    // Flink's KeyGroupRangeAssignment.computeDefaultMaxParallelism: 1.5 × parallelism rounded up to a power of two, within [128, 32768].
    private static int DefaultMaxParallelism(int parallelism) =>
        Math.Clamp((int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(parallelism + parallelism / 2)), 128, 32768);
}
