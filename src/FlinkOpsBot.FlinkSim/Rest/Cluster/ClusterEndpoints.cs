using System.Globalization;
using FlinkOpsBot.FlinkSim.Engine;

namespace FlinkOpsBot.FlinkSim.Rest.Cluster;

/// <summary>GET /config, /overview and /jobmanager/config.</summary>
internal static class ClusterEndpoints
{
    // An invented build, reported where Flink reports its commit.
    private const string FlinkCommit = "5f8a1e2";
    private const string FlinkRevision = FlinkCommit + " @ 2025-02-04T15:56:21+01:00";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/config", GetDashboardConfiguration);
        routes.MapGet("/overview", GetOverview);
        routes.MapGet("/jobmanager/config", GetJobManagerConfiguration);
    }

    private static IResult GetDashboardConfiguration(SimCluster cluster) => cluster.Simulation.Sync(sim => FlinkHttp.Json(
        new DashboardConfiguration(
            RefreshInterval: 3000, "Coordinated Universal Time", TimezoneOffset: 0, sim.Options.FlinkVersion, FlinkRevision,
            new DashboardFeatures(WebSubmit: true, WebCancel: true, WebRescale: false, WebHistory: false)),
        FlinkJsonContext.Wire.DashboardConfiguration));

    private static IResult GetOverview(SimCluster cluster) => cluster.Simulation.Sync(sim =>
    {
        int Count(string status) => sim.Jobs.Count(job => job.Status == status);
        return FlinkHttp.Json(
            new ClusterOverview(
                sim.Options.TaskManagers, TaskManagersBlocked: 0, sim.Options.TotalSlots, sim.FreeSlots, SlotsFreeAndBlocked: 0,
                JobsRunning: sim.Jobs.Count(job => !JobStatus.IsGloballyTerminal(job.Status)),
                Count(JobStatus.Finished), Count(JobStatus.Canceled), Count(JobStatus.Failed),
                sim.Options.FlinkVersion, FlinkCommit),
            FlinkJsonContext.Wire.ClusterOverview);
    });

    private static IResult GetJobManagerConfiguration(SimCluster cluster) => cluster.Simulation.Sync(sim =>
    {
        var options = sim.Options;
        var entries = new List<ConfigurationEntry>
        {
            new("jobmanager.rpc.address", "flink-jobmanager"),
            new("jobmanager.scheduler", options.Scheduler),
            new("parallelism.default", Simulation.DefaultParallelism.ToString(CultureInfo.InvariantCulture)),
            new("taskmanager.numberOfTaskSlots", (options.TotalSlots / options.TaskManagers).ToString(CultureInfo.InvariantCulture)),
            new("state.backend.type", "rocksdb"),
            new("execution.checkpointing.interval", $"{FlinkHttp.Millis(options.CheckpointInterval)} ms"),
            new("execution.checkpointing.dir", options.CheckpointDirectory),
            new("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION"),
            new("restart-strategy.type", "fixed-delay"),
            new("restart-strategy.fixed-delay.attempts", options.RestartAttempts.ToString(CultureInfo.InvariantCulture)),
            new("restart-strategy.fixed-delay.delay", $"{FlinkHttp.Millis(options.RestartDelay)} ms"),
            new("rest.async.store-duration", $"{FlinkHttp.Millis(options.AsyncOperationStoreDuration)} ms"),
            new("web.submit.enable", "true"),
        };
        if (options.SavepointDirectory is { Length: > 0 } savepoints) entries.Add(new("execution.checkpointing.savepoint-dir", savepoints));
        return FlinkHttp.Json<IReadOnlyList<ConfigurationEntry>>(entries, FlinkJsonContext.Wire.IReadOnlyListConfigurationEntry);
    });
}
