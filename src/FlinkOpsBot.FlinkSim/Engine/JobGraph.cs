namespace FlinkOpsBot.FlinkSim.Engine;

/// <summary>One vertex (chain of operators) of a job graph.</summary>
internal sealed record JobVertex(string Id, string Name, int Parallelism, int MaxParallelism);

/// <summary>
/// The job graph every simulated job has: source, keyed process, sink. Vertex ids derive from the job name, so that
/// they stay the same across versions of an application, as operator uids make them in a real one.
/// </summary>
internal sealed class JobGraph
{
    private JobGraph(IReadOnlyList<JobVertex> vertices, string slotSharingGroupId)
    {
        Vertices = vertices;
        SlotSharingGroupId = slotSharingGroupId;
    }

    public IReadOnlyList<JobVertex> Vertices { get; }

    /// <summary>The vertex whose user function fails in a faulty jar.</summary>
    public JobVertex ProcessVertex => Vertices[1];

    public string SlotSharingGroupId { get; }

    /// <summary>Subtasks over all vertices.</summary>
    public int Subtasks => Vertices.Sum(v => v.Parallelism);

    public static JobGraph For(string jobName, string jobId, int parallelism)
    {
        var maxParallelism = DefaultMaxParallelism(parallelism);
        string[] names = [$"Source: {jobName}-events -> Filter", "KeyedProcess -> Map", $"Sink: {jobName}-out"];
        var vertices = names
            .Select((name, index) => new JobVertex(SimIds.StableHex32($"{jobName}/{index}"), name, parallelism, maxParallelism))
            .ToList();
        return new JobGraph(vertices, SimIds.StableHex32($"{jobId}/slot-sharing-group"));
    }

    // Flink's KeyGroupRangeAssignment.computeDefaultMaxParallelism: 1.5 × parallelism rounded up to a power of two, within [128, 32768].
    private static int DefaultMaxParallelism(int parallelism) =>
        Math.Clamp((int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(parallelism + parallelism / 2)), 128, 32768);
}
