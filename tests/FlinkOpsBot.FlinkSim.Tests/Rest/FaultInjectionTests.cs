using System.Net;

namespace FlinkOpsBot.FlinkSim.Tests.Rest;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task FailNextRequests_Default_LeaderElection503ThenServesAgain()
    {
        await using var sim = await SimHarness.StartAsync();
        sim.Cluster.Faults.FailNextRequests(2);

        var first = await sim.SendAsync(HttpMethod.Get, "overview");
        var second = await sim.PostAsync($"jobs/{sim.Orders.JobId}/stop");
        var third = await sim.SendAsync(HttpMethod.Get, "overview");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), (first.Status, second.Status, third.Status));
        Assert.Equal("Service temporarily unavailable due to an ongoing leader election. Please refresh.", (string)first.Body!["errors"]![0]!);
        sim.Advance(sim.Options.SavepointDuration);
        Assert.Equal("RUNNING", sim.Orders.Status);
        Assert.Equal(503, sim.Cluster.Calls.All.Single().StatusCode);
    }

    [Fact]
    public async Task FailNextRequests_500_InternalServerErrorBody()
    {
        await using var sim = await SimHarness.StartAsync();
        sim.Cluster.Faults.FailNextRequests(1, 500);

        var (status, body) = await sim.SendAsync(HttpMethod.Get, "jobs");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var errors = body!["errors"]!.AsArray();
        Assert.Equal("Internal server error.", (string)errors[0]!);
        Assert.StartsWith("<Exception on server side:\n", (string)errors[1]!);
    }
}
