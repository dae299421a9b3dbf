namespace FlinkOpsBot.FlinkSim;

public sealed partial class SimCluster
{
    /// <summary>
    /// Savepoint history for savepoint retention demos, on top of <see cref="SeedCmfDemo"/>: three older COMPLETED daily
    /// savepoints of orders-enricher, <c>orders-enricher-daily-2</c>, <c>-3</c> and <c>-4</c> (2, 3 and 4 days old). They are
    /// older than <c>orders-enricher-nightly</c>, so the application's last savepoint (what a restart restores) is unchanged.
    /// Local mode seeds them; <see cref="SeedCmfDemo"/> alone does not.
    /// </summary>
    /// <exception cref="ArgumentException">The CMF demo was not seeded, or these savepoints already exist.</exception>
    public static void SeedCmfSavepointHistory(SimCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        foreach (var days in new[] { 4, 3, 2 })
        {
            cluster.Cmf.AddCompletedSavepoint("demo-env", "orders-enricher", $"orders-enricher-daily-{days}", TimeSpan.FromDays(days));
        }
    }
}
