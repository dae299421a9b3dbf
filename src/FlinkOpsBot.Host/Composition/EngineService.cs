using FlinkOpsBot.Core.Engine;

namespace FlinkOpsBot.Host.Composition;

/// <summary>Runs the <see cref="RunLoop"/> for the life of the host; on shutdown the ticks in flight finish first.</summary>
internal sealed class EngineService(RunLoop loop) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loop.RunAsync(stoppingToken);
}
