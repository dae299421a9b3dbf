using System.Net;
using System.Text.Json.Nodes;

namespace FlinkOpsBot.FlinkSim.Tests.Rest.Metrics;

/// <summary>The read endpoints behind the cookbook's reports: job metrics, job config, backpressure, subtask metrics.</summary>
public sealed class LoadAndConfigTests
{
    [Fact]
    public async Task Backpressure_HotDemoJob_SourceHighAndKeyedProcessBusiest()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Cluster.FindJob("clickstream-sessionizer")!;
        var vertices = (await sim.GetJsonAsync($"jobs/{job.JobId}"))["vertices"]!.AsArray();

        var source = await sim.GetJsonAsync($"jobs/{job.JobId}/vertices/{vertices[0]!["id"]}/backpressure");
        var busy = await BusyMaxAsync(sim, job.JobId, (string)vertices[1]!["id"]!);

        Assert.Equal(("ok", "high"), ((string)source["status"]!, (string)source["backpressureLevel"]!));
        Assert.Equal(6, source["subtasks"]!.AsArray().Count);
        Assert.InRange(busy, 900, 1000);
    }

    [Fact]
    public async Task Backpressure_CalmDemoJob_OkAndBusyBelowHalf()
    {
        await using var sim = await SimHarness.StartAsync();
        var vertices = (await sim.GetJsonAsync($"jobs/{sim.Orders.JobId}"))["vertices"]!.AsArray();

        var source = await sim.GetJsonAsync($"jobs/{sim.Orders.JobId}/vertices/{vertices[0]!["id"]}/backpressure");
        var busy = await BusyMaxAsync(sim, sim.Orders.JobId, (string)vertices[1]!["id"]!);

        Assert.Equal("ok", (string)source["backpressureLevel"]!);
        Assert.InRange(busy, 300, 500);
    }

    [Fact]
    public async Task InputRate_RaisedAndJobNotRunning_HotThenDeprecatedWhileRestarting()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Orders.JobId;
        var vertex = (string)(await sim.GetJsonAsync($"jobs/{id}"))["vertices"]![0]!["id"]!;

        sim.Cluster.Faults.SetInputRate("orders-enricher", 8_000);
        var hot = await sim.GetJsonAsync($"jobs/{id}/vertices/{vertex}/backpressure");
        sim.Cluster.Faults.RestartLoop(id, true);
        sim.Advance(sim.Options.FaultyJobFailsAfter);
        var restarting = await sim.GetJsonAsync($"jobs/{id}/vertices/{vertex}/backpressure");

        Assert.Equal("high", (string)hot["backpressureLevel"]!);
        Assert.Equal("RESTARTING", sim.Orders.Status);
        Assert.Equal("deprecated", (string)restarting["status"]!);
        Assert.Null(restarting["backpressureLevel"]);
    }

    [Fact]
    public async Task SubtaskMetrics_WithoutGet_ListsIdsIncludingTheSourcesPendingRecords()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Cluster.FindJob("clickstream-sessionizer")!;
        var vertex = (string)(await sim.GetJsonAsync($"jobs/{job.JobId}"))["vertices"]![0]!["id"]!;

        var ids = (await sim.GetJsonAsync($"jobs/{job.JobId}/vertices/{vertex}/subtasks/metrics")).AsArray().Select(m => (string)m!["id"]!).ToList();
        var pendingId = Assert.Single(ids, id => id.EndsWith(".pendingRecords", StringComparison.Ordinal));
        var before = await AggregateAsync(sim, job.JobId, vertex, pendingId, "sum");
        sim.Advance(TimeSpan.FromSeconds(10));
        var after = await AggregateAsync(sim, job.JobId, vertex, pendingId, "sum");

        Assert.Contains("busyTimeMsPerSecond", ids);
        Assert.Contains("backPressuredTimeMsPerSecond", ids);
        Assert.True(after > before, $"the lag of a back-pressured source grows: {before} then {after}");
    }

    [Fact]
    public async Task SubtaskMetrics_UnknownAggregation_400NamingIt()
    {
        await using var sim = await SimHarness.StartAsync();
        var vertex = (string)(await sim.GetJsonAsync($"jobs/{sim.Orders.JobId}"))["vertices"]![0]!["id"]!;

        var (status, body) = await sim.SendAsync(HttpMethod.Get, $"jobs/{sim.Orders.JobId}/vertices/{vertex}/subtasks/metrics?get=busyTimeMsPerSecond&agg=median");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("agg", SimHarness.FirstErrorLine(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobMetrics_RestartLoop_NumRestartsCountsEachRestartAndUnknownIdsAreLeftOut()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Orders.JobId;
        sim.Cluster.Faults.RestartLoop(id, true);
        sim.Advance(sim.Options.FaultyJobFailsAfter + sim.Options.RestartDelay + sim.Options.FaultyJobFailsAfter);

        var metrics = (await sim.GetJsonAsync($"jobs/{id}/metrics?get=numRestarts,noSuchMetric")).AsArray();

        var metric = Assert.Single(metrics);
        Assert.Equal(("numRestarts", "2"), ((string)metric!["id"]!, (string)metric["value"]!));
    }

    [Fact]
    public async Task JobConfig_RunningJob_RestartStrategyAndUserConfigUnderFlinksWireNames()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = await sim.RunJarAsync("orders-enricher-2.4.0.jar", """{"programArgsList":["--topic","orders"]}""");

        var config = await sim.GetJsonAsync($"jobs/{job.JobId}/config");

        Assert.Equal(job.JobId, (string)config["jid"]!);
        Assert.Equal("Restart with fixed delay (1000 ms). #3 restart attempts.", (string)config["execution-config"]!["restart-strategy"]!);
        Assert.Equal("orders", (string)config["execution-config"]!["user-config"]!["topic"]!);
    }

    [Fact]
    public async Task RestartLoop_PoisonRecord_ExceptionHistoryHasTheParserAsRootCause()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Cluster.FindJob("payments-fraud-detector")!.JobId;
        sim.Cluster.Faults.RestartLoop(id, true, RestartLoopCause.PoisonRecord);
        sim.Advance(sim.Options.FaultyJobFailsAfter);

        var entry = (await sim.GetJsonAsync($"jobs/{id}/exceptions"))["exceptionHistory"]!["entries"]![0]!;

        Assert.Equal("java.io.IOException", (string)entry["exceptionName"]!);
        Assert.Contains("Caused by: org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonParseException", (string)entry["stacktrace"]!);
    }

    private static async Task<double> BusyMaxAsync(SimHarness sim, string jobId, string vertexId) =>
        await AggregateAsync(sim, jobId, vertexId, "busyTimeMsPerSecond", "max");

    private static async Task<double> AggregateAsync(SimHarness sim, string jobId, string vertexId, string metric, string agg)
    {
        var body = await sim.GetJsonAsync($"jobs/{jobId}/vertices/{vertexId}/subtasks/metrics?get={metric}&agg={agg}");
        JsonNode entry = Assert.Single(body.AsArray())!;
        return (double)entry[agg]!;
    }
}
