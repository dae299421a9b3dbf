using System.Net;
using System.Text.RegularExpressions;

namespace FlinkOpsBot.FlinkSim.Tests.Rest.Savepoints;

public sealed class StopWithSavepointTests
{
    [Fact]
    public async Task Stop_RunningJob_InProgressThenCompletedWithLocationAndJobFinished()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Orders;

        var (status, trigger) = await sim.PostAsync($"jobs/{job.JobId}/stop", """{"drain":false}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var triggerId = (string)trigger!["request-id"]!;
        Assert.Matches("^[0-9a-f]{32}$", triggerId);

        var pending = await sim.GetJsonAsync($"jobs/{job.JobId}/savepoints/{triggerId}");
        Assert.Equal("IN_PROGRESS", (string)pending["status"]!["id"]!);
        Assert.Null(pending["operation"]);
        Assert.Equal("RUNNING", job.Status);

        sim.Advance(sim.Options.SavepointDuration);

        var done = await sim.GetJsonAsync($"jobs/{job.JobId}/savepoints/{triggerId}");
        Assert.Equal("COMPLETED", (string)done["status"]!["id"]!);
        var location = (string)done["operation"]!["location"]!;
        Assert.Matches($"^s3://flink-demo/savepoints/savepoint-{job.JobId[..6]}-[0-9a-f]{{12}}$", location);
        Assert.Null(done["operation"]!["failure-cause"]);

        var details = await sim.GetJsonAsync($"jobs/{job.JobId}");
        Assert.Equal("FINISHED", (string)details["state"]!);
        Assert.Equal(sim.Clock.GetUtcNow().ToUnixTimeMilliseconds(), (long)details["end-time"]!);
        var savepoint = (await sim.GetJsonAsync($"jobs/{job.JobId}/checkpoints"))["latest"]!["savepoint"]!;
        Assert.Equal(location, (string)savepoint["external_path"]!);
        Assert.Equal("SYNC_SAVEPOINT", (string)savepoint["checkpoint_type"]!);
    }

    [Fact]
    public async Task Stop_SameTriggerIdTwice_OneOperationAndOneSavepoint()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Orders;
        const string TriggerId = "0123456789abcdef0123456789abcdef";
        var body = $$"""{"triggerId":"{{TriggerId}}"}""";

        var (first, firstTrigger) = await sim.PostAsync($"jobs/{job.JobId}/stop", body);
        sim.Advance(TimeSpan.FromSeconds(1));
        var (second, secondTrigger) = await sim.PostAsync($"v1/jobs/{job.JobId}/stop", body);
        sim.Advance(sim.Options.SavepointDuration);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first, second));
        Assert.Equal(TriggerId, (string)firstTrigger!["request-id"]!);
        Assert.Equal(TriggerId, (string)secondTrigger!["request-id"]!);
        Assert.Single(job.Savepoints);
        Assert.Equal(1, (await sim.GetJsonAsync($"jobs/{job.JobId}/checkpoints"))["history"]!.AsArray().Count(c => (bool)c!["is_savepoint"]!));
        var calls = sim.Cluster.Calls.All.Where(call => call.Path == $"/jobs/{job.JobId}/stop").ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, call => Assert.Equal((TriggerId, job.JobId, 202), (call.IdempotencyKey, call.JobId, call.StatusCode)));
    }

    [Fact]
    public async Task Stop_FailureInjected_CompletesWithFailureCauseAndJobKeepsRunning()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Orders;
        sim.Cluster.Faults.FailNextStopWithSavepoint(job.JobId, "Task KeyedProcess declined the checkpoint.");

        var (_, trigger) = await sim.PostAsync($"jobs/{job.JobId}/stop");
        sim.Advance(sim.Options.SavepointDuration);

        var result = await sim.GetJsonAsync($"jobs/{job.JobId}/savepoints/{trigger!["request-id"]}");
        Assert.Equal("COMPLETED", (string)result["status"]!["id"]!);
        Assert.Null(result["operation"]!["location"]);
        var cause = result["operation"]!["failure-cause"]!;
        Assert.Equal("java.util.concurrent.CompletionException", (string)cause["class"]!);
        Assert.Contains("CheckpointException: Task KeyedProcess declined the checkpoint.", (string)cause["stack-trace"]!);
        Assert.StartsWith("rO0AB", (string)cause["serialized-throwable"]!);
        Assert.Equal("RUNNING", job.Status);
        Assert.Empty(job.Savepoints);

        Assert.Equal(HttpStatusCode.Accepted, (await sim.PostAsync($"jobs/{job.JobId}/stop")).Status);
        sim.Advance(sim.Options.SavepointDuration);
        Assert.Equal("FINISHED", job.Status);
    }

    [Fact]
    public async Task Stop_CamelCaseTargetDirectory_IsUsed()
    {
        await using var sim = await SimHarness.StartAsync();

        var (_, trigger) = await sim.PostAsync($"jobs/{sim.Orders.JobId}/stop", """{"targetDirectory":"s3://elsewhere/sp/"}""");
        sim.Advance(sim.Options.SavepointDuration);

        var result = await sim.GetJsonAsync($"jobs/{sim.Orders.JobId}/savepoints/{trigger!["request-id"]}");
        Assert.StartsWith("s3://elsewhere/sp/savepoint-", (string)result["operation"]!["location"]!);
    }

    [Fact]
    public async Task Stop_KebabCaseTargetDirectory_IsIgnoredAsFlink120Does()
    {
        await using var sim = await SimHarness.StartAsync();

        var (_, trigger) = await sim.PostAsync($"jobs/{sim.Orders.JobId}/stop", """{"target-directory":"s3://elsewhere/sp"}""");
        sim.Advance(sim.Options.SavepointDuration);

        var result = await sim.GetJsonAsync($"jobs/{sim.Orders.JobId}/savepoints/{trigger!["request-id"]}");
        Assert.StartsWith("s3://flink-demo/savepoints/savepoint-", (string)result["operation"]!["location"]!);
    }

    [Fact]
    public async Task Stop_NoTargetDirectoryAndNoneConfigured_Returns400()
    {
        await using var sim = await SimHarness.StartAsync(options => options.SavepointDirectory = null);

        var (status, body) = await sim.PostAsync($"jobs/{sim.Orders.JobId}/stop");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(
            "org.apache.flink.runtime.rest.handler.RestHandlerException: Config key [execution.checkpointing.savepoint-dir] is not set. Property [targetDirectory] must be provided.",
            SimHarness.FirstErrorLine(body));
        Assert.Equal("RUNNING", sim.Orders.Status);
    }

    [Fact]
    public async Task Stop_InvalidTriggerId_Returns400()
    {
        await using var sim = await SimHarness.StartAsync();

        var (status, body) = await sim.PostAsync($"jobs/{sim.Orders.JobId}/stop", """{"triggerId":"retry-1"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Matches(new Regex("Request did not match expected format StopWithSavepointRequestBody\\.$"), SimHarness.FirstErrorLine(body));
    }
}
