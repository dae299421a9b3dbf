using System.Net;
using System.Text.Json.Nodes;
using static FlinkOpsBot.FlinkSim.Tests.Cmf.CmfHarness;

namespace FlinkOpsBot.FlinkSim.Tests.Cmf;

/// <summary>
/// Application lifecycles as a client drives them: savepoint, suspend, update the spec, start from the savepoint's uid
/// with a chosen JobID; and the operator-driven savepoint upgrade of a spec change.
/// </summary>
public sealed class CmfLifecycleTests
{
    private const string AppRoute = "/cmf/api/v1/environments/{envName}/applications";
    private const string ChosenJobId = "0badc0de00000000000000000000cafe";

    [Fact]
    public async Task SuspendThenStartFromSavepointUid_RunsNewSpecFromThatSavepointUnderTheChosenJobId()
    {
        await using var sim = await StartAsync();
        var oldJob = sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!;
        var savepoint = await sim.CallAsync(HttpMethod.Post, $"{Apps}/orders-enricher/savepoints",
            """{"metadata":{"name":"before-upgrade"},"spec":{"formatType":"CANONICAL"}}""",
            AppRoute + "/{appName}/savepoints", HttpStatusCode.Created);
        Assert.Equal("IN_PROGRESS", (string?)savepoint["status"]!["state"]);
        sim.Advance(sim.Options.SavepointDuration);
        var completed = await sim.GetAsync($"{Apps}/orders-enricher/savepoints/before-upgrade", AppRoute + "/{appName}/savepoints/{savepointName}");
        Assert.Equal("COMPLETED", (string?)completed["status"]!["state"]);
        var path = (string)completed["status"]!["path"]!;
        var uid = (string)completed["metadata"]!["uid"]!;

        var suspending = await sim.CallAsync(HttpMethod.Post, $"{Apps}/orders-enricher/suspend", null, AppRoute + "/{appName}/suspend", HttpStatusCode.OK);
        Assert.Equal("UPGRADING", (string?)suspending["status"]!["lifecycleState"]);
        sim.Advance(sim.Options.SavepointDuration);
        var suspended = await sim.AppAsync("orders-enricher");
        Assert.Equal("SUSPENDED", (string?)suspended["status"]!["lifecycleState"]);
        Assert.Equal("FINISHED", (string?)suspended["status"]!["jobStatus"]!["state"]);
        Assert.Equal("FINISHED", oldJob.Status);

        var spec = suspended["spec"]!.AsObject();
        spec["job"]!["jarURI"] = "local:///opt/flink/usrlib/orders-enricher-2.4.0.jar";
        spec["flinkConfiguration"]!["$internal.pipeline.job-id"] = ChosenJobId;
        var updated = await sim.CallAsync(HttpMethod.Post, Apps, Resource("orders-enricher", spec), AppRoute, HttpStatusCode.Created);
        Assert.Equal("SUSPENDED", (string?)updated["status"]!["lifecycleState"]);

        await sim.CallAsync(HttpMethod.Post, $"{Apps}/orders-enricher/start?startFromSavepointUid={uid}", null, AppRoute + "/{appName}/start", HttpStatusCode.OK);
        Assert.Equal("DEPLOYED", sim.Cluster.Cmf.LifecycleState(Env, "orders-enricher"));
        sim.Advance(sim.Options.JobStartDuration);

        var started = await sim.AppAsync("orders-enricher");
        Assert.Equal("STABLE", (string?)started["status"]!["lifecycleState"]);
        Assert.Equal(ChosenJobId, (string?)started["status"]!["jobStatus"]!["jobId"]);
        var job = sim.Cluster.FindJob(ChosenJobId)!;
        Assert.Equal(path, job.RestoredFrom);
        Assert.Equal("RUNNING", job.Status);
        Assert.Equal(sim.Jar("orders-enricher-2.4.0.jar").Id, job.JarId);
    }

    [Fact]
    public async Task StartOfRunningApplication_ChangesNothing()
    {
        await using var sim = await StartAsync();
        var before = sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!.JobId;

        var app = await sim.CallAsync(HttpMethod.Post, $"{Apps}/orders-enricher/start", null, AppRoute + "/{appName}/start", HttpStatusCode.OK);

        Assert.Equal(before, (string?)app["status"]!["jobStatus"]!["jobId"]);
        Assert.Equal("STABLE", (string?)app["status"]!["lifecycleState"]);
    }

    [Fact]
    public async Task UpsertWithNewJarAndParallelism_UpgradesThroughStopWithSavepoint()
    {
        await using var sim = await StartAsync();
        var oldJob = sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!;
        var spec = (await sim.AppAsync("orders-enricher"))["spec"]!.AsObject();
        spec["job"]!["jarURI"] = "local:///opt/flink/usrlib/orders-enricher-2.4.0.jar";
        spec["job"]!["parallelism"] = 6;

        var upgrading = await sim.CallAsync(HttpMethod.Post, Apps, Resource("orders-enricher", spec), AppRoute, HttpStatusCode.Created);
        Assert.Equal("UPGRADING", (string?)upgrading["status"]!["lifecycleState"]);
        sim.Advance(sim.Options.SavepointDuration);
        Assert.Equal("DEPLOYED", sim.Cluster.Cmf.LifecycleState(Env, "orders-enricher"));
        sim.Advance(sim.Options.JobStartDuration);

        var upgraded = await sim.AppAsync("orders-enricher");
        var newJob = sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!;
        Assert.Equal("STABLE", (string?)upgraded["status"]!["lifecycleState"]);
        Assert.Equal("FINISHED", oldJob.Status);
        Assert.Equal(6, newJob.Parallelism);
        Assert.Equal(oldJob.Savepoints[^1], newJob.RestoredFrom);
        Assert.Equal(newJob.RestoredFrom, (string?)upgraded["status"]!["jobStatus"]!["savepointInfo"]!["lastSavepoint"]!["location"]);
    }

    [Fact]
    public async Task UpsertWithStateSuspended_OnlyChangesTheSpecOfSuspendedApplication()
    {
        await using var sim = await StartAsync();
        await sim.PostAsync($"{Apps}/payments-fraud-detector/suspend");
        sim.Advance(sim.Options.SavepointDuration);
        var spec = (await sim.AppAsync("payments-fraud-detector"))["spec"]!.AsObject();
        spec["job"]!["parallelism"] = 2;

        var app = await sim.CallAsync(HttpMethod.Post, Apps, Resource("payments-fraud-detector", spec), AppRoute, HttpStatusCode.Created);

        Assert.Equal("SUSPENDED", (string?)app["status"]!["lifecycleState"]);
        Assert.Equal(2, (int)app["spec"]!["job"]!["parallelism"]!);
        Assert.Equal("FINISHED", sim.Cluster.Cmf.ApplicationJob(Env, "payments-fraud-detector")!.Status);
    }

    [Fact]
    public async Task UpsertOfSuspendedApplicationWithStateRunningAndInitialSavepointPath_DeploysFromThatPath()
    {
        await using var sim = await StartAsync();
        var nightly = (string)(await sim.GetAsync($"{Apps}/orders-enricher/savepoints/orders-enricher-nightly",
            AppRoute + "/{appName}/savepoints/{savepointName}"))["status"]!["path"]!;
        await sim.PostAsync($"{Apps}/orders-enricher/suspend");
        sim.Advance(sim.Options.SavepointDuration);
        var spec = (await sim.AppAsync("orders-enricher"))["spec"]!.AsObject();
        spec["job"]!["state"] = "running";
        spec["job"]!["initialSavepointPath"] = nightly;
        spec["job"]!["allowNonRestoredState"] = true;
        spec["flinkConfiguration"]!["$internal.pipeline.job-id"] = ChosenJobId;

        await sim.CallAsync(HttpMethod.Post, Apps, Resource("orders-enricher", spec), AppRoute, HttpStatusCode.Created);
        sim.Advance(sim.Options.JobStartDuration);

        var job = sim.Cluster.FindJob(ChosenJobId)!;
        Assert.Equal(nightly, job.RestoredFrom);
        Assert.True(job.AllowNonRestoredState);
        Assert.Equal("STABLE", sim.Cluster.Cmf.LifecycleState(Env, "orders-enricher"));
    }

    [Fact]
    public async Task UpsertChangingOnlyUpgradeModeAndAnnotations_DoesNotRedeploy()
    {
        await using var sim = await StartAsync();
        var job = sim.Cluster.Cmf.ApplicationJob(Env, "payments-fraud-detector")!;
        var app = (await sim.AppAsync("payments-fraud-detector")).AsObject();
        var spec = app["spec"]!.AsObject();
        spec["job"]!["upgradeMode"] = "stateless";
        spec["job"]!["allowNonRestoredState"] = true;
        var body = Resource("payments-fraud-detector", spec).Replace(
            "\"metadata\":{\"name\":\"payments-fraud-detector\"}",
            "\"metadata\":{\"name\":\"payments-fraud-detector\",\"annotations\":{\"flinkopsbot.io/stop-trigger\":\"abc\"}}",
            StringComparison.Ordinal);

        var updated = await sim.CallAsync(HttpMethod.Post, Apps, body, AppRoute, HttpStatusCode.Created);

        Assert.Equal("STABLE", (string?)updated["status"]!["lifecycleState"]);
        Assert.Equal(job.JobId, (string?)updated["status"]!["jobStatus"]!["jobId"]);
        Assert.Equal("abc", (string?)updated["metadata"]!["annotations"]!["flinkopsbot.io/stop-trigger"]);
        Assert.Equal("stateless", (string?)updated["spec"]!["job"]!["upgradeMode"]);
        Assert.Equal("RUNNING", job.Status);
    }

    [Fact]
    public async Task UpsertOfSavepointDirectoryThenSuspend_SuspendsIntoThatDirectoryWithoutARedeploy()
    {
        await using var sim = await StartAsync();
        var job = sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!;
        var spec = (await sim.AppAsync("orders-enricher"))["spec"]!.AsObject();
        spec["flinkConfiguration"]!["state.savepoints.dir"] = "s3://bot-chosen/savepoints";
        spec["flinkConfiguration"]!["$internal.pipeline.job-id"] = job.JobId;

        var updated = await sim.CallAsync(HttpMethod.Post, Apps, Resource("orders-enricher", spec), AppRoute, HttpStatusCode.Created);
        await sim.PostAsync($"{Apps}/orders-enricher/suspend");
        sim.Advance(sim.Options.SavepointDuration);

        Assert.Equal("STABLE", (string?)updated["status"]!["lifecycleState"]);
        Assert.Equal("SUSPENDED", sim.Cluster.Cmf.LifecycleState(Env, "orders-enricher"));
        Assert.StartsWith("s3://bot-chosen/savepoints/savepoint-", job.Savepoints[^1], StringComparison.Ordinal);
        Assert.Equal(job.JobId, sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!.JobId);
    }

    [Fact]
    public async Task UpsertStatelessThenSuspend_CancelsWithoutASavepoint()
    {
        await using var sim = await StartAsync();
        var job = sim.Cluster.Cmf.ApplicationJob(Env, "payments-fraud-detector")!;
        var spec = (await sim.AppAsync("payments-fraud-detector"))["spec"]!.AsObject();
        spec["job"]!["upgradeMode"] = "stateless";

        await sim.CallAsync(HttpMethod.Post, Apps, Resource("payments-fraud-detector", spec), AppRoute, HttpStatusCode.Created);
        var suspending = await sim.CallAsync(HttpMethod.Post, $"{Apps}/payments-fraud-detector/suspend", null, AppRoute + "/{appName}/suspend", HttpStatusCode.OK);
        sim.Advance(sim.Options.CancelDuration);

        var app = await sim.AppAsync("payments-fraud-detector");
        Assert.Equal("UPGRADING", (string?)suspending["status"]!["lifecycleState"]);
        Assert.Equal("SUSPENDED", (string?)app["status"]!["lifecycleState"]);
        Assert.Equal("CANCELED", (string?)app["status"]!["jobStatus"]!["state"]);
        Assert.Empty(job.Savepoints);
        Assert.Null(app["status"]!["jobStatus"]!["savepointInfo"]!["lastSavepoint"]);
    }

    [Fact]
    public async Task Suspend_RecordsItsSavepointAsACompletedUpgradeSavepointToStartFrom()
    {
        await using var sim = await StartAsync();
        await sim.PostAsync($"{Apps}/orders-enricher/suspend");
        sim.Advance(sim.Options.SavepointDuration);
        var last = (string)(await sim.AppAsync("orders-enricher"))["status"]!["jobStatus"]!["savepointInfo"]!["lastSavepoint"]!["location"]!;

        var list = await sim.GetAsync($"{Apps}/orders-enricher/savepoints", AppRoute + "/{appName}/savepoints");

        var suspend = Assert.Single(list["items"]!.AsArray(), sp => (string?)sp!["status"]!["source"] == "UPGRADE")!;
        Assert.StartsWith("orders-enricher-suspend-", (string?)suspend["metadata"]!["name"], StringComparison.Ordinal);
        Assert.Equal("COMPLETED", (string?)suspend["status"]!["state"]);
        Assert.Equal(last, (string?)suspend["status"]!["path"]);
        await sim.CallAsync(HttpMethod.Post, $"{Apps}/orders-enricher/start?startFromSavepointUid={suspend["metadata"]!["uid"]}", null,
            AppRoute + "/{appName}/start", HttpStatusCode.OK);
        sim.Advance(sim.Options.JobStartDuration);
        Assert.Equal(last, sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!.RestoredFrom);
    }

    [Fact]
    public async Task StartAfterSettingAnOlderInitialSavepointPath_RestoresThatPath()
    {
        await using var sim = await StartAsync();
        var nightly = (string)(await sim.GetAsync($"{Apps}/orders-enricher/savepoints/orders-enricher-nightly",
            AppRoute + "/{appName}/savepoints/{savepointName}"))["status"]!["path"]!;
        await sim.PostAsync($"{Apps}/orders-enricher/suspend");
        sim.Advance(sim.Options.SavepointDuration);
        var spec = (await sim.AppAsync("orders-enricher"))["spec"]!.AsObject();
        spec["job"]!["initialSavepointPath"] = nightly;
        spec["flinkConfiguration"]!["$internal.pipeline.job-id"] = ChosenJobId;
        await sim.CallAsync(HttpMethod.Post, Apps, Resource("orders-enricher", spec), AppRoute, HttpStatusCode.Created);

        await sim.CallAsync(HttpMethod.Post, $"{Apps}/orders-enricher/start", null, AppRoute + "/{appName}/start", HttpStatusCode.OK);
        sim.Advance(sim.Options.JobStartDuration);

        Assert.Equal(nightly, sim.Cluster.FindJob(ChosenJobId)!.RestoredFrom);
    }

    [Fact]
    public async Task UpgradeToFaultyJar_RestartsThenFails()
    {
        await using var sim = await StartAsync();
        var spec = (await sim.AppAsync("orders-enricher"))["spec"]!.AsObject();
        spec["job"]!["jarURI"] = "local:///opt/flink/usrlib/orders-enricher-2.5.0-faulty.jar";
        await sim.CallAsync(HttpMethod.Post, Apps, Resource("orders-enricher", spec), AppRoute, HttpStatusCode.Created);
        sim.Advance(sim.Options.SavepointDuration + sim.Options.JobStartDuration + sim.Options.FaultyJobFailsAfter);

        var restarting = await sim.AppAsync("orders-enricher");
        Assert.Equal("RESTARTING", (string?)restarting["status"]!["jobStatus"]!["state"]);
        Assert.Equal("DEPLOYED", (string?)restarting["status"]!["lifecycleState"]);
        sim.Advance((sim.Options.RestartAttempts + 1) * (sim.Options.RestartDelay + sim.Options.FaultyJobFailsAfter));

        var failed = await sim.AppAsync("orders-enricher");
        Assert.Equal("FAILED", (string?)failed["status"]!["jobStatus"]!["state"]);
        Assert.Equal("FAILED", (string?)failed["status"]!["lifecycleState"]);
    }

    [Fact]
    public async Task RollbackOfRestartingFaultyRelease_RestoresTheUpgradeSavepointOnTheOldJar()
    {
        await using var sim = await StartAsync();
        var original = (await sim.AppAsync("orders-enricher"))["spec"]!.AsObject();
        var faulty = (JsonObject)original.DeepClone();
        faulty["job"]!["jarURI"] = "local:///opt/flink/usrlib/orders-enricher-2.5.0-faulty.jar";
        await sim.CallAsync(HttpMethod.Post, Apps, Resource("orders-enricher", faulty), AppRoute, HttpStatusCode.Created);
        sim.Advance(sim.Options.SavepointDuration);
        var upgradeSavepoint = sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!.RestoredFrom;
        sim.Advance(sim.Options.JobStartDuration + sim.Options.FaultyJobFailsAfter);
        Assert.Equal("RESTARTING", sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!.Status);

        await sim.CallAsync(HttpMethod.Post, Apps, Resource("orders-enricher", original), AppRoute, HttpStatusCode.Created);
        sim.Advance(sim.Options.CancelDuration + sim.Options.JobStartDuration);

        var rolledBack = sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!;
        Assert.Equal("STABLE", sim.Cluster.Cmf.LifecycleState(Env, "orders-enricher"));
        Assert.Equal(sim.Jar("orders-enricher-2.3.1.jar").Id, rolledBack.JarId);
        Assert.NotNull(upgradeSavepoint);
        Assert.Equal(upgradeSavepoint, rolledBack.RestoredFrom);
    }

    [Fact]
    public async Task SuspendOfRestartingJob_CancelsItAndSaysNoSavepointWasTaken()
    {
        await using var sim = await StartAsync();
        var job = sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!;
        sim.Cluster.Faults.RestartLoop(job.JobId, true);
        sim.Advance(sim.Options.FaultyJobFailsAfter);
        Assert.Equal("RESTARTING", job.Status);

        await sim.PostAsync($"{Apps}/orders-enricher/suspend");
        sim.Advance(sim.Options.CancelDuration);

        var app = await sim.AppAsync("orders-enricher");
        Assert.Equal("SUSPENDED", (string?)app["status"]!["lifecycleState"]);
        Assert.Equal("CANCELED", job.Status);
        Assert.StartsWith($"Job {job.JobId} was RESTARTING, so no savepoint could be taken", (string?)app["status"]!["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartUnderInjectedFault_FailsTheApplicationWithTheError()
    {
        await using var sim = await StartAsync();
        await sim.PostAsync($"{Apps}/orders-enricher/suspend");
        sim.Advance(sim.Options.SavepointDuration);
        sim.Cluster.Cmf.FailNextApplicationStart(Env, "orders-enricher", "JobManager deployment failed: ImagePullBackOff");

        var app = await sim.CallAsync(HttpMethod.Post, $"{Apps}/orders-enricher/start", null, AppRoute + "/{appName}/start", HttpStatusCode.OK);

        Assert.Equal("FAILED", (string?)app["status"]!["lifecycleState"]);
        Assert.Equal("ERROR", (string?)app["status"]!["jobManagerDeploymentStatus"]);
        Assert.Equal("JobManager deployment failed: ImagePullBackOff", (string?)app["status"]!["error"]);
    }

    [Fact]
    public async Task StartFromUnknownSavepointUid_Answers404()
    {
        await using var sim = await StartAsync();
        await sim.PostAsync($"{Apps}/orders-enricher/suspend");
        sim.Advance(sim.Options.SavepointDuration);

        var message = await sim.ErrorAsync(HttpMethod.Post, $"{Apps}/orders-enricher/start?startFromSavepointUid=no-such-uid", null, HttpStatusCode.NotFound);

        Assert.Contains("no-such-uid", message, StringComparison.Ordinal);
        Assert.Equal("SUSPENDED", sim.Cluster.Cmf.LifecycleState(Env, "orders-enricher"));
    }

    [Fact]
    public async Task SuspendWhileStopWithSavepointFails_KeepsTheJobRunningAndReportsTheError()
    {
        await using var sim = await StartAsync();
        var job = sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!;
        sim.Cluster.Faults.FailNextStopWithSavepoint(job.JobId);

        await sim.PostAsync($"{Apps}/orders-enricher/suspend");
        sim.Advance(sim.Options.SavepointDuration);

        var app = await sim.AppAsync("orders-enricher");
        Assert.Equal("RUNNING", job.Status);
        Assert.Equal("STABLE", (string?)app["status"]!["lifecycleState"]);
        Assert.Contains("Checkpoint expired before completing.", (string?)app["status"]!["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAfterFailedSuspend_KeepsTheRunningJob()
    {
        await using var sim = await StartAsync();
        var job = sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!;
        sim.Cluster.Faults.FailNextStopWithSavepoint(job.JobId);
        await sim.PostAsync($"{Apps}/orders-enricher/suspend");
        sim.Advance(sim.Options.SavepointDuration);

        var app = await sim.CallAsync(HttpMethod.Post, $"{Apps}/orders-enricher/start", null, AppRoute + "/{appName}/start", HttpStatusCode.OK);
        sim.Advance(sim.Options.JobStartDuration);

        Assert.Equal("running", (string?)app["spec"]!["job"]!["state"]);
        Assert.Equal(job.JobId, (string?)app["status"]!["jobStatus"]!["jobId"]);
        Assert.Equal(job.JobId, sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!.JobId);
        Assert.Equal("RUNNING", job.Status);
        Assert.DoesNotContain(sim.Cluster.Mutations.All, m => m.Kind == SimMutationKind.JarRun);
    }

    [Fact]
    public async Task CreateApplication_WithChosenJobId_DeploysAndDeleteCancelsIt()
    {
        await using var sim = await StartAsync();
        var spec = new JsonObject
        {
            ["flinkConfiguration"] = new JsonObject { ["$internal.pipeline.job-id"] = ChosenJobId },
            ["job"] = new JsonObject { ["jarURI"] = "orders-enricher-2.4.0.jar", ["parallelism"] = 2, ["upgradeMode"] = "stateless" },
        };

        var created = await sim.CallAsync(HttpMethod.Post, Apps, Resource("orders-canary", spec), AppRoute, HttpStatusCode.Created);
        sim.Advance(sim.Options.JobStartDuration);

        Assert.Equal("DEPLOYED", (string?)created["status"]!["lifecycleState"]);
        Assert.Equal("RUNNING", sim.Cluster.FindJob(ChosenJobId)!.Status);
        await sim.CallAsync(HttpMethod.Delete, $"{Apps}/orders-canary", null, AppRoute + "/{appName}", HttpStatusCode.NoContent);
        sim.Advance(sim.Options.CancelDuration);
        Assert.Equal("CANCELED", sim.Cluster.FindJob(ChosenJobId)!.Status);
        await sim.ErrorAsync(HttpMethod.Get, $"{Apps}/orders-canary", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CreateApplication_WithUnknownJar_FailsWithAnErrorNamingTheJars()
    {
        await using var sim = await StartAsync();
        var spec = new JsonObject { ["job"] = new JsonObject { ["jarURI"] = "local:///opt/flink/usrlib/nope-1.0.jar" } };

        var created = await sim.CallAsync(HttpMethod.Post, Apps, Resource("nope-app", spec), AppRoute, HttpStatusCode.Created);

        Assert.Equal("FAILED", (string?)created["status"]!["lifecycleState"]);
        Assert.Contains("orders-enricher-2.4.0.jar", (string?)created["status"]!["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateApplication_WithBadName_Answers422()
    {
        await using var sim = await StartAsync();

        var message = await sim.ErrorAsync(
            HttpMethod.Post, Apps, """{"metadata":{"name":"Bad_Name"},"spec":{"job":{}}}""", HttpStatusCode.UnprocessableEntity, AppRoute);

        Assert.Contains("lower-case", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpgradeUnderTheRunningJobsOwnJobId_IsRefusedBeforeAnythingStops()
    {
        await using var sim = await StartAsync();
        var job = sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!;
        var spec = (await sim.AppAsync("orders-enricher"))["spec"]!.AsObject();
        spec["job"]!["jarURI"] = "local:///opt/flink/usrlib/orders-enricher-2.4.0.jar";
        spec["flinkConfiguration"]!["$internal.pipeline.job-id"] = job.JobId;

        var message = await sim.ErrorAsync(HttpMethod.Post, Apps, Resource("orders-enricher", spec), HttpStatusCode.UnprocessableEntity);
        sim.Advance(sim.Options.SavepointDuration);

        Assert.Contains("set a new JobID for every deployment", message, StringComparison.Ordinal);
        Assert.Equal("RUNNING", job.Status);
        Assert.Equal("STABLE", sim.Cluster.Cmf.LifecycleState(Env, "orders-enricher"));
        Assert.Equal("local:///opt/flink/usrlib/orders-enricher-2.3.1.jar", (string?)(await sim.AppAsync("orders-enricher"))["spec"]!["job"]!["jarURI"]);
    }

    [Fact]
    public async Task RetriedCreateOfRunningApplication_ChangesNothing()
    {
        await using var sim = await StartAsync();
        var spec = new JsonObject
        {
            ["flinkConfiguration"] = new JsonObject { ["$internal.pipeline.job-id"] = ChosenJobId },
            ["job"] = new JsonObject { ["jarURI"] = "orders-enricher-2.4.0.jar", ["parallelism"] = 2 },
        };
        await sim.CallAsync(HttpMethod.Post, Apps, Resource("orders-canary", spec), AppRoute, HttpStatusCode.Created);
        sim.Advance(sim.Options.JobStartDuration);

        var again = await sim.CallAsync(HttpMethod.Post, Apps, Resource("orders-canary", spec), AppRoute, HttpStatusCode.Created);

        Assert.Equal(ChosenJobId, (string?)again["status"]!["jobStatus"]!["jobId"]);
        Assert.Equal("RUNNING", (string?)again["status"]!["jobStatus"]!["state"]);
        Assert.Single(sim.Cluster.Mutations.All, m => m.ResultJobId == ChosenJobId);
    }

    private static string Resource(string name, JsonObject spec) => new JsonObject
    {
        ["apiVersion"] = "cmf.confluent.io/v1",
        ["kind"] = "FlinkApplication",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = spec.DeepClone(),
    }.ToJsonString();
}
