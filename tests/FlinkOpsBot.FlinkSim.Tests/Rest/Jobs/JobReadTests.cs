using System.Net;

namespace FlinkOpsBot.FlinkSim.Tests.Rest.Jobs;

public sealed class JobReadTests
{
    [Fact]
    public async Task GetJob_UnknownJob_Returns404WithOneJavaStackTrace()
    {
        await using var sim = await SimHarness.StartAsync();
        const string JobId = "0000000000000000000000000000beef";

        var (status, body) = await sim.SendAsync(HttpMethod.Get, $"v1/jobs/{JobId}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        var error = (string)body!["errors"]!.AsArray().Single()!;
        Assert.StartsWith($"org.apache.flink.runtime.rest.NotFoundException: Job {JobId} not found\n\tat org.apache.flink.", error);
        Assert.Contains($"\nCaused by: org.apache.flink.runtime.messages.FlinkJobNotFoundException: Could not find Flink job ({JobId})\n\tat ", error);
    }

    [Theory]
    [InlineData("jobs/orders-enricher")]
    [InlineData("jobs/0123/checkpoints")]
    public async Task GetJob_MalformedJobId_Returns400CouldNotParse(string path)
    {
        await using var sim = await SimHarness.StartAsync();

        var (status, body) = await sim.SendAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Bad request, could not parse parameters: Cannot resolve path parameter (jobid)", SimHarness.FirstErrorLine(body));
    }

    [Fact]
    public async Task UnknownRoute_Returns404NotFound()
    {
        await using var sim = await SimHarness.StartAsync();

        var (status, body) = await sim.SendAsync(HttpMethod.Get, "v1/jobs/overview/everything?x=1");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Not found: /v1/jobs/overview/everything?x=1", (string)body!["errors"]![0]!);
    }

    [Fact]
    public async Task GetOverview_Demo_CountsSlotsAndJobs()
    {
        await using var sim = await SimHarness.StartAsync();

        var overview = await sim.GetJsonAsync("overview");

        Assert.Equal((4, 32, 32 - 4 - 8 - 6), ((int)overview["taskmanagers"]!, (int)overview["slots-total"]!, (int)overview["slots-available"]!));
        Assert.Equal((3, 0, "1.20.1"), ((int)overview["jobs-running"]!, (int)overview["jobs-finished"]!, (string)overview["flink-version"]!));
    }

    [Fact]
    public async Task GetJobs_BothPrefixes_ListIdsAndStatuses()
    {
        await using var sim = await SimHarness.StartAsync();

        var unversioned = await sim.GetJsonAsync("jobs");
        var versioned = await sim.GetJsonAsync("v1/jobs");

        Assert.Equal(unversioned.ToJsonString(), versioned.ToJsonString());
        Assert.Contains(unversioned["jobs"]!.AsArray(), job => (string)job!["id"]! == sim.Orders.JobId && (string)job["status"]! == "RUNNING");
    }

    [Fact]
    public async Task GetJobsOverview_RunningJob_LowerCaseTaskCountsWithTotal()
    {
        await using var sim = await SimHarness.StartAsync();

        var overview = await sim.GetJsonAsync("jobs/overview");

        var orders = overview["jobs"]!.AsArray().Single(job => (string)job!["name"]! == "orders-enricher")!;
        Assert.Equal((-1L, 12, 12, 0), ((long)orders["end-time"]!, (int)orders["tasks"]!["total"]!, (int)orders["tasks"]!["running"]!, (int)orders["tasks"]!["failed"]!));
        Assert.Equal(sim.Orders.StartTime.ToUnixTimeMilliseconds(), (long)orders["start-time"]!);
    }

    [Fact]
    public async Task GetJobDetails_RunningJob_VerticesTimestampsAndPlan()
    {
        await using var sim = await SimHarness.StartAsync();

        var details = await sim.GetJsonAsync($"jobs/{sim.Orders.JobId}");

        Assert.Equal(("orders-enricher", "RUNNING", -1L), ((string)details["name"]!, (string)details["state"]!, (long)details["end-time"]!));
        Assert.Equal(sim.Clock.GetUtcNow().ToUnixTimeMilliseconds(), (long)details["now"]!);
        Assert.Equal(11, details["timestamps"]!.AsObject().Count);
        Assert.Equal(0, (long)details["timestamps"]!["CANCELED"]!);
        var vertices = details["vertices"]!.AsArray();
        Assert.Equal(3, vertices.Count);
        Assert.All(vertices, vertex =>
        {
            Assert.Matches("^[0-9a-f]{32}$", (string)vertex!["id"]!);
            Assert.Equal((4, "RUNNING", 4), ((int)vertex["parallelism"]!, (string)vertex["status"]!, (int)vertex["tasks"]!["RUNNING"]!));
        });
        Assert.Equal(3, (int)details["status-counts"]!["RUNNING"]!);
        Assert.Equal(vertices.Select(v => (string)v!["id"]!), details["plan"]!["nodes"]!.AsArray().Select(n => (string)n!["id"]!));
    }

    [Fact]
    public async Task GetJobStatus_RunningJob_ReturnsStatus()
    {
        await using var sim = await SimHarness.StartAsync();

        var status = await sim.GetJsonAsync($"jobs/{sim.Orders.JobId}/status");

        Assert.Equal("RUNNING", (string)status["status"]!);
    }

    [Fact]
    public async Task GetExceptions_HealthyJob_EmptyHistoryWithNullLegacyFields()
    {
        await using var sim = await SimHarness.StartAsync();

        var exceptions = await sim.GetJsonAsync($"jobs/{sim.Orders.JobId}/exceptions");

        Assert.Empty(exceptions["exceptionHistory"]!["entries"]!.AsArray());
        Assert.True(exceptions.AsObject().ContainsKey("root-exception"));
        Assert.Null(exceptions["root-exception"]);
    }

    [Fact]
    public async Task GetConfig_Cluster_ReportsVersionAndWebSubmit()
    {
        await using var sim = await SimHarness.StartAsync(options => options.FlinkVersion = "1.20.2");

        var config = await sim.GetJsonAsync("config");

        Assert.Equal(("1.20.2", true), ((string)config["flink-version"]!, (bool)config["features"]!["web-submit"]!));
    }

    [Fact]
    public async Task GetJobManagerConfig_Cluster_ListsSavepointDirectoryAndScheduler()
    {
        await using var sim = await SimHarness.StartAsync();

        var entries = (await sim.GetJsonAsync("jobmanager/config")).AsArray()
            .ToDictionary(entry => (string)entry!["key"]!, entry => (string)entry!["value"]!);

        Assert.Equal("s3://flink-demo/savepoints", entries["execution.checkpointing.savepoint-dir"]);
        Assert.Equal(("default", "1"), (entries["jobmanager.scheduler"], entries["parallelism.default"]));
    }
}
