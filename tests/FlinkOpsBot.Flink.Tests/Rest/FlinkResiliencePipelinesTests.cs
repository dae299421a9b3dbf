using System.Net;
using System.Net.Sockets;
using FlinkOpsBot.Core.Platforms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Flink.Tests.Rest;

public class FlinkResiliencePipelinesTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task GetJobAsync_LeaderElectionBurst_IsRetriedAndSucceeds()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId("orders-enricher");
        sim.Cluster.Faults.FailNextRequests(3, 503);

        var job = await sim.Platform.GetJobAsync(jobId, None);

        Assert.Equal(jobId, job?.JobId);
    }

    [Fact]
    public async Task StopWithSavepointAsync_FailuresOutlastRetries_ThrowsTransientAfterEveryAttempt()
    {
        await using var sim = await SimulatedCluster.StartAsync(clientSettings: new Dictionary<string, string?> { ["MaxRetryAttempts"] = "2" });
        var jobId = sim.JobId("orders-enricher");
        sim.Cluster.Faults.FailNextRequests(5, 503);

        var error = await Assert.ThrowsAsync<FlinkApiException>(
            () => sim.Platform.StopWithSavepointAsync(jobId, JobIds.NewHex32(), targetDirectory: null, None));

        Assert.Equal(503, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Contains("leader election", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, sim.Cluster.Calls.Count("POST", $"/jobs/{jobId}/stop"));
    }

    [Fact]
    public async Task RunJarAsync_ServiceUnavailable_IsNotRetried()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jar = (await sim.Platform.ListJarsAsync(None)).Single(j => j.Name == "orders-enricher-2.4.0.jar");
        var jobId = JobIds.NewHex32();
        sim.Cluster.Faults.FailNextRequests(1, 503);

        var error = await Assert.ThrowsAsync<FlinkApiException>(
            () => sim.Platform.RunJarAsync(jar.Id, new JarRunRequest(jobId, 4, SavepointPath: null, AllowNonRestoredState: false), None));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(1, sim.Cluster.Calls.Count("POST", $"/jars/{jar.Id}/run"));
        Assert.Null(await sim.Platform.GetJobAsync(jobId, None));
    }

    [Fact]
    public async Task StopWithSavepointAsync_ServiceUnavailable_IsRetriedWithTheSameTriggerId()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId("orders-enricher");
        var triggerId = JobIds.NewHex32();
        sim.Cluster.Faults.FailNextRequests(1, 503);

        await sim.Platform.StopWithSavepointAsync(jobId, triggerId, targetDirectory: null, None);
        sim.Clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(2, sim.Cluster.Calls.Count("POST", $"/jobs/{jobId}/stop"));
        Assert.Equal(SavepointOperationStatus.Completed, (await sim.Platform.GetSavepointOperationAsync(jobId, triggerId, None)).Status);
    }

    [Fact]
    public async Task StopWithSavepointAsync_NoSavepointDirectory_ThrowsBadRequestOnceWithTheFirstLine()
    {
        await using var sim = await SimulatedCluster.StartAsync(o => o.SavepointDirectory = null);
        var jobId = sim.JobId("orders-enricher");

        var error = await Assert.ThrowsAsync<FlinkApiException>(
            () => sim.Platform.StopWithSavepointAsync(jobId, JobIds.NewHex32(), targetDirectory: null, None));

        Assert.Equal(400, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Contains("targetDirectory", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("org.apache.flink", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, sim.Cluster.Calls.Count("POST", $"/jobs/{jobId}/stop"));
    }

    [Fact]
    public async Task StopWithSavepointAsync_RepeatedFailures_OpenTheCircuitAndStopCallingTheCluster()
    {
        await using var sim = await SimulatedCluster.StartAsync(clientSettings: new Dictionary<string, string?>
        {
            ["MaxRetryAttempts"] = "0",
            ["BreakerMinimumThroughput"] = "2",
            ["BreakerFailureRatio"] = "0.5",
        });
        var jobId = sim.JobId("orders-enricher");
        sim.Cluster.Faults.FailNextRequests(10, 503);
        Task Stop() => sim.Platform.StopWithSavepointAsync(jobId, JobIds.NewHex32(), targetDirectory: null, None);

        Assert.Equal(503, (await Assert.ThrowsAsync<FlinkApiException>(Stop)).StatusCode);
        Assert.Equal(503, (await Assert.ThrowsAsync<FlinkApiException>(Stop)).StatusCode);
        var error = await Assert.ThrowsAsync<FlinkApiException>(Stop);

        Assert.Equal(0, error.StatusCode);
        Assert.Contains("paused", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, sim.Cluster.Calls.Count("POST", $"/jobs/{jobId}/stop"));
    }

    [Fact]
    public async Task GetOverviewAsync_ClusterUnreachable_ThrowsStatusZero()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var services = new ServiceCollection()
            .AddFlinkPlatforms(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["RetryBaseDelay"] = "00:00:00.001" }).Build())
            .BuildServiceProvider();
        var platform = services.GetRequiredService<FlinkPlatformFactory>().Create("gone", new Uri($"http://127.0.0.1:{closedPort}"));

        var error = await Assert.ThrowsAsync<FlinkApiException>(() => platform.GetOverviewAsync(None));

        Assert.Equal(0, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Contains("gone", error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task GetJobAsync_HungRequest_TimesOutAndTheRetryAnswers()
    {
        // The attempt timeout is real time: 1 s here, so the hung first attempt is abandoned and the retry answers.
        await using var sim = await SimulatedCluster.StartAsync(clientSettings: new Dictionary<string, string?> { ["AttemptTimeout"] = "00:00:01" });
        var jobId = sim.JobId("orders-enricher");
        sim.Cluster.Faults.HangNextRequests(1);

        var job = await sim.Platform.GetJobAsync(jobId, None);

        Assert.Equal(jobId, job?.JobId); // without the timeout and the retry, the call would hang or throw
    }

    [Fact]
    public async Task RunJarAsync_HungRequest_IsNotRepeated()
    {
        // A jar run that may have arrived is never sent again blindly: the engine looks for the JobID first.
        await using var sim = await SimulatedCluster.StartAsync(clientSettings: new Dictionary<string, string?> { ["JarRunTimeout"] = "00:00:01" });
        var jar = (await sim.Platform.ListJarsAsync(None)).Single(j => j.Name == "orders-enricher-2.4.0.jar");
        sim.Cluster.Faults.HangNextRequests(1);

        await Assert.ThrowsAnyAsync<Exception>(
            () => sim.Platform.RunJarAsync(jar.Id, new JarRunRequest(JobIds.NewHex32(), 4, SavepointPath: null, AllowNonRestoredState: false), None));

        // FlinkSim records the hung request once its client has given up; a retry would show as a second call.
        int Runs() => sim.Cluster.Calls.All.Count(c => c.Method == "POST" && c.Path == $"/jars/{jar.Id}/run");
        for (var i = 0; i < 50 && Runs() == 0; i++) await Task.Delay(100);
        Assert.Equal(1, Runs());
    }

    [Fact]
    public async Task StopWithSavepointAsync_SlowCluster_StillCompletesOnce()
    {
        await using var sim = await SimulatedCluster.StartAsync();
        var jobId = sim.JobId("orders-enricher");
        sim.Cluster.Faults.AddLatency(TimeSpan.FromMilliseconds(200));

        var triggerId = JobIds.NewHex32();
        await sim.Platform.StopWithSavepointAsync(jobId, triggerId, targetDirectory: null, None);

        Assert.Equal(1, sim.Cluster.Calls.Count("POST", $"/jobs/{jobId}/stop"));
    }
}
