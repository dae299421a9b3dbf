using FlinkOpsBot.FlinkSim.Cmf;

namespace FlinkOpsBot.FlinkSim;

public sealed partial class SimCluster
{
    private SimCmf? _cmf;

    /// <summary>
    /// The Confluent Manager for Apache Flink (CMF) that FlinkSim also serves under <c>/cmf/api/v1</c>: its environments,
    /// applications (each backed by a job of this cluster), savepoints, statements, compute pools and catalogs.
    /// </summary>
    public SimCmf Cmf => LazyInitializer.EnsureInitialized(ref _cmf, () => new SimCmf(Simulation));

    /// <summary>
    /// The CMF demo: environment <c>demo-env</c> (namespace <c>flink-demo</c>) with applications <c>orders-enricher</c>
    /// (orders-enricher-2.3.1.jar, parallelism 4) and <c>payments-fraud-detector</c> (payments-fraud-detector-1.8.0.jar,
    /// parallelism 8), both upgrade mode savepoint and RUNNING on jobs of their own (not listed by the plain Flink REST
    /// API, see <see cref="SimCmf"/>), one COMPLETED savepoint <c>orders-enricher-nightly</c> of orders-enricher, compute
    /// pool <c>demo-pool</c> (DEDICATED, RUNNING) and Kafka catalog <c>kafka-cat</c> with database <c>kafka-1</c> holding
    /// tables <c>orders</c>, <c>orders_enriched</c>, <c>payments</c> and <c>clicks</c>. Uploads the jars it needs that
    /// <see cref="SeedDemo"/> has not.
    /// </summary>
    public static void SeedCmfDemo(SimCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        foreach (var jar in new[] { "orders-enricher-2.3.1.jar", "orders-enricher-2.4.0.jar", "payments-fraud-detector-1.8.0.jar" })
        {
            if (cluster.Jars.All(existing => existing.FileName != jar)) cluster.AddJar(jar);
        }
        if (cluster.Jars.All(existing => existing.FileName != "orders-enricher-2.5.0-faulty.jar"))
        {
            cluster.AddJar("orders-enricher-2.5.0-faulty.jar", JarBehavior.FailsAfterStart);
        }

        var cmf = cluster.Cmf;
        cmf.AddEnvironment("demo-env", "flink-demo");
        cmf.AddRunningApplication("demo-env", "orders-enricher", "orders-enricher-2.3.1.jar", parallelism: 4);
        cmf.AddRunningApplication("demo-env", "payments-fraud-detector", "payments-fraud-detector-1.8.0.jar", parallelism: 8);
        cmf.AddCompletedSavepoint("demo-env", "orders-enricher", "orders-enricher-nightly", TimeSpan.FromHours(1));
        cmf.AddComputePool("demo-env", "demo-pool");
        cmf.AddKafkaCatalog("kafka-cat", "kafka-1", ["orders", "orders_enriched", "payments", "clicks"]);
    }
}
