using System.Net;
using static FlinkOpsBot.FlinkSim.Tests.Cmf.CmfHarness;

namespace FlinkOpsBot.FlinkSim.Tests.Cmf;

/// <summary>CMF environments and applications over real HTTP, every body checked against CMF's OpenAPI spec.</summary>
public sealed class CmfApplicationTests
{
    private const string AppRoute = "/cmf/api/v1/environments/{envName}/applications/{appName}";

    [Fact]
    public async Task SystemInformationAndEnvironments_Demo_MatchSpec()
    {
        await using var sim = await StartAsync();

        var info = await sim.GetAsync($"{Api}/system-information", "/cmf/api/v1/system-information");
        var page = await sim.GetAsync($"{Api}/environments", "/cmf/api/v1/environments");
        var env = await sim.GetAsync($"{Api}/environments/{Env}", "/cmf/api/v1/environments/{envName}");

        Assert.Equal("2.3.1", (string?)info["status"]!["version"]);
        Assert.Equal(1, (int)page["metadata"]!["size"]!);
        Assert.Equal("flink-demo", (string?)env["kubernetesNamespace"]);
    }

    [Fact]
    public async Task Applications_Demo_RunOnJobsTheFlinkJobListDoesNotShow()
    {
        await using var sim = await StartAsync();

        var page = await sim.GetAsync(Apps, "/cmf/api/v1/environments/{envName}/applications");
        var orders = await sim.AppAsync("orders-enricher");

        Assert.Equal(["orders-enricher", "payments-fraud-detector"], page["items"]!.AsArray().Select(a => (string)a!["metadata"]!["name"]!));
        var jobId = (string)orders["status"]!["jobStatus"]!["jobId"]!;
        Assert.Equal("STABLE", (string?)orders["status"]!["lifecycleState"]);
        Assert.Equal("RUNNING", (string?)orders["status"]!["jobStatus"]!["state"]);
        Assert.NotEqual(sim.Orders.JobId, jobId);
        var flinkJobs = (await sim.GetJsonAsync("jobs/overview"))["jobs"]!.AsArray().Select(j => (string)j!["jid"]!);
        Assert.DoesNotContain(jobId, flinkJobs);
    }

    [Fact]
    public async Task SeedCmfDemo_LeavesTheFlinkDemoAsItWas()
    {
        await using var sim = await StartAsync();

        Assert.Equal(["orders-enricher", "payments-fraud-detector", "clickstream-sessionizer"], sim.Cluster.Jobs.Select(job => job.Name));
        Assert.Equal(3, (int)(await sim.GetJsonAsync("overview"))["jobs-running"]!);
        Assert.Equal(sim.Orders.JobId, sim.Cluster.FindJob("orders-enricher")!.JobId);
        Assert.Equal(5, sim.Cluster.Jars.Count);
    }

    [Fact]
    public async Task UnknownEnvironmentOrApplication_Answers404WithCmfErrorBody()
    {
        await using var sim = await StartAsync();

        var env = await sim.ErrorAsync(HttpMethod.Get, $"{Api}/environments/nope-env", null, HttpStatusCode.NotFound, "/cmf/api/v1/environments/{envName}");
        var app = await sim.ErrorAsync(HttpMethod.Get, $"{Apps}/nope-app", null, HttpStatusCode.NotFound, AppRoute);

        Assert.Equal("Environment 'nope-env' not found.", env);
        Assert.Equal("FlinkApplication 'nope-app' not found in environment 'demo-env'.", app);
    }
}
