using FlinkOpsBot.FlinkSim.Engine;

namespace FlinkOpsBot.FlinkSim;

/// <summary>
/// The control surface of a simulated Flink cluster: what a test or the demo puts in it, what it holds, and the
/// faults to inject. Thread-safe. State advances lazily: every read or write first catches the cluster up to the
/// <see cref="TimeProvider"/>'s now, so a test clock makes the cluster fully deterministic.
/// </summary>
public sealed partial class SimCluster
{
    internal SimCluster(FlinkSimOptions options, TimeProvider timeProvider)
    {
        Simulation = new Simulation(options, timeProvider);
        Faults = new SimFaults(Simulation);
        Calls = new SimCallLog(Simulation);
        Mutations = new SimMutationLedger(Simulation);
    }

    /// <summary>The jobs, in submission order (including finished ones).</summary>
    public IReadOnlyList<SimJob> Jobs => Simulation.Sync(sim => sim.Jobs.Select(job => job.Handle).ToList());

    /// <summary>The uploaded jars, in upload order.</summary>
    public IReadOnlyList<SimJar> Jars => Simulation.Sync(sim => sim.Jars.ToList());

    /// <summary>Faults to inject into the cluster's behaviour.</summary>
    public SimFaults Faults { get; }

    /// <summary>Every mutating call the cluster received.</summary>
    public SimCallLog Calls { get; }

    /// <summary>Every effective mutation (a call that changed the cluster), and the ones that were done twice.</summary>
    public SimMutationLedger Mutations { get; }

    internal Simulation Simulation { get; }

    /// <summary>
    /// Uploads a jar, as <c>POST /jars/upload</c> would; its id is <c>&lt;uuid&gt;_&lt;fileName&gt;</c>. The jobs it
    /// runs are named after the file up to the version (<see cref="SimJar.JobName"/>).
    /// </summary>
    public SimJar AddJar(string fileName, JarBehavior behavior = JarBehavior.Healthy) =>
        Simulation.Sync(sim => sim.AddJar(fileName, behavior));

    /// <summary>
    /// Adds a job that has been RUNNING for hours, with its latest checkpoints completed at its interval, run from
    /// the newest jar named <paramref name="jarFileName"/>. <paramref name="checkpointInterval"/> defaults to
    /// <see cref="FlinkSimOptions.CheckpointInterval"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No jar of that name was added.</exception>
    public SimJob AddRunningJob(string name, string jarFileName, int parallelism = 2, TimeSpan? checkpointInterval = null) =>
        Simulation.Sync(sim => sim.AddRunningJob(name, jarFileName, parallelism, checkpointInterval).Handle);

    /// <summary>
    /// The job with that 32-hex JobID, or by name: the job of that name that has not terminated, else the newest of
    /// that name. <c>null</c> if there is none.
    /// </summary>
    public SimJob? FindJob(string jobIdOrName) => Simulation.Sync(sim => sim.FindJob(jobIdOrName)?.Handle);

    /// <summary>
    /// The demo cluster: jars <c>orders-enricher-2.3.1.jar</c>, <c>orders-enricher-2.4.0.jar</c>,
    /// <c>orders-enricher-2.5.0-faulty.jar</c> (fails soon after it runs), <c>payments-fraud-detector-1.8.0.jar</c>,
    /// <c>clickstream-sessionizer-3.1.2.jar</c>; running jobs <c>orders-enricher</c> (2.3.1, parallelism 4),
    /// <c>payments-fraud-detector</c> (8) and <c>clickstream-sessionizer</c> (6).
    /// </summary>
    public static void SeedDemo(SimCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        cluster.AddJar("orders-enricher-2.3.1.jar");
        cluster.AddJar("orders-enricher-2.4.0.jar");
        cluster.AddJar("orders-enricher-2.5.0-faulty.jar", JarBehavior.FailsAfterStart);
        cluster.AddJar("payments-fraud-detector-1.8.0.jar");
        cluster.AddJar("clickstream-sessionizer-3.1.2.jar");
        cluster.AddRunningJob("orders-enricher", "orders-enricher-2.3.1.jar", parallelism: 4);
        cluster.AddRunningJob("payments-fraud-detector", "payments-fraud-detector-1.8.0.jar", parallelism: 8);
        cluster.AddRunningJob("clickstream-sessionizer", "clickstream-sessionizer-3.1.2.jar", parallelism: 6);
    }

    /// <summary>
    /// For a chaos harness that runs many upgrades in parallel: uploads <c>chaos-job-1.0.0.jar</c> and
    /// <c>chaos-job-1.1.0.jar</c> and adds <paramref name="count"/> RUNNING jobs <c>chaos-job-01</c>, <c>chaos-job-02</c>,
    /// … (two digits, more past 99) from 1.0.0, parallelism 1 each. A job restored from one of their snapshots keeps its
    /// name. The jobs hold slots whether or not the cluster has them: give the cluster <paramref name="count"/> more
    /// <see cref="FlinkSimOptions.TotalSlots"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static void SeedChaosJobs(SimCluster cluster, int count)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0) return;
        cluster.AddJar("chaos-job-1.0.0.jar");
        cluster.AddJar("chaos-job-1.1.0.jar");
        var digits = Math.Max(2, count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        for (var i = 1; i <= count; i++)
        {
            var number = i.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(digits, '0');
            cluster.AddRunningJob($"chaos-job-{number}", "chaos-job-1.0.0.jar", parallelism: 1);
        }
    }
}
