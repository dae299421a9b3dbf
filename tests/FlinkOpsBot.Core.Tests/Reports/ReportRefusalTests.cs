using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Tests.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlinkOpsBot.Core.Tests.Reports;

/// <summary>A report asked of a cluster whose platform the recipe does not run on is refused before anything is read.</summary>
public sealed class ReportRefusalTests
{
    [Fact]
    public async Task Report_ClusterOfAnotherPlatform_RefusedNamingTheClustersThatFit()
    {
        await using var h = await EngineHarness.StartAsync();
        var builtIn = RecipeCatalog.LoadBuiltIn();
        var flinkOnly = builtIn.Find("checkpoint-failures")! with { Platforms = [ClusterDefinition.FlinkRest] };
        var recipes = new RecipeCatalog(builtIn.All.Where(r => r.Id != flinkOnly.Id).Append(flinkOnly));
        var clusters = new ClusterDirectory(
            [
                new ClusterDefinition("demo", ClusterDefinition.FlinkRest, h.Sim.BaseAddress),
                new ClusterDefinition("cmf-prod", ClusterDefinition.Cmf, new Uri("http://127.0.0.1:9/")),
            ],
            _ => h.Platform, defaultCluster: "demo");
        var commands = new CommandService(recipes, clusters, h.Runs, h.Recorder, h.Locks, new NoSignal(), h.Clock, NullLogger<CommandService>.Instance,
            AuthorizationPolicy.AllowEveryone(new GatePolicy(), recipes));

        var reply = await commands.HandleAsync(
            new ChatCommand("/flink checkpoint-failures orders-enricher --cluster cmf-prod", EngineHarness.Ana, EngineHarness.Channel), CancellationToken.None);

        Assert.False(reply.Accepted);
        Assert.Equal("checkpoint-failures runs on flink-rest; cluster cmf-prod is cmf. Use `--cluster demo`. Nothing was started.", reply.Text);
    }

    private sealed class NoSignal : IRunSignal
    {
        public void Wake(RunId runId)
        {
        }
    }
}
