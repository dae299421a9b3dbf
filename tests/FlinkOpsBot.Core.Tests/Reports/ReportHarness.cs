using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Incidents;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Tests.Engine;
using FlinkOpsBot.FlinkSim;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlinkOpsBot.Core.Tests.Reports;

/// <summary>The engine harness's FlinkSim cluster and stores, with a command service that has the ledgers the reports read.</summary>
internal sealed class ReportHarness : IAsyncDisposable
{
    private ReportHarness(EngineHarness engine)
    {
        Engine = engine;
        Commands = new CommandService(engine.Recipes, engine.Clusters, engine.Runs, engine.Recorder, engine.Locks, new NoSignal(), engine.Clock,
            NullLogger<CommandService>.Instance, engine.Policy, new IncidentBook(engine.Incidents, engine.Clock), engine.Timelines, null, engine.Ledger,
            Savepoints);
    }

    public EngineHarness Engine { get; }
    public InMemorySavepointLedger Savepoints { get; } = new();
    public CommandService Commands { get; }
    public SimCluster Cluster => Engine.Sim.Cluster;

    /// <summary>Starts the harness; with <paramref name="cmf"/>, FlinkSim's CMF demo is cluster <see cref="EngineHarness.CmfCluster"/> too.</summary>
    public static async Task<ReportHarness> StartAsync(FlinkSimOptions? options = null, bool cmf = false) =>
        new(await EngineHarness.StartAsync(options: options, cmf: cmf));

    public Task<CommandReply> SayAsync(string text) =>
        Commands.HandleAsync(new ChatCommand(text, EngineHarness.Ana, EngineHarness.Channel), CancellationToken.None);

    /// <summary>The reply's line that starts with <paramref name="symbol"/> and <paramref name="title"/>, e.g. "✗ Load:".</summary>
    public static string Line(CommandReply reply, string symbol, string title)
    {
        var line = reply.Text.Split('\n').FirstOrDefault(l => l.StartsWith($"{symbol} {title}:", StringComparison.Ordinal));
        Assert.True(line is not null, $"no line '{symbol} {title}:' in:\n{reply.Text}");
        return line!;
    }

    public ValueTask DisposeAsync() => Engine.DisposeAsync();

    private sealed class NoSignal : IRunSignal
    {
        public void Wake(RunId runId)
        {
        }
    }
}
