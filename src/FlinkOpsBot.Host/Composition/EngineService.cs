using FlinkOpsBot.Core.Engine;

namespace FlinkOpsBot.Host.Composition;

/// <summary>
/// Runs the <see cref="RunLoop"/> for the life of the host. On shutdown (SIGTERM, Ctrl+C) it stops gracefully: the loop
/// stops claiming runs and the command path refuses new ones, the ticks in flight finish (each is one unit of work,
/// persisted before the next; bounded by the host's shutdown timeout), and then the run leases this replica holds are
/// released, so another replica continues those runs at once instead of after the lease expires.
/// </summary>
internal sealed class EngineService(RunLoop loop) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loop.RunAsync(stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        loop.BeginStopping();
        await base.StopAsync(cancellationToken);
        // Out of shutdown time: the leases lapse on their own after Engine:LeaseDuration.
        if (!cancellationToken.IsCancellationRequested) await loop.ReleaseLeasesAsync(cancellationToken);
    }
}
