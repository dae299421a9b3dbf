namespace FlinkOpsBot.Core.Engine;

/// <summary>
/// Whether this host's engine is shutting down. The command path refuses to start new runs while it is (runs already
/// started continue on another replica, or on this one after the restart).
/// </summary>
public interface IEngineStatus
{
    /// <summary>True from the moment the host began stopping (e.g. SIGTERM); never false again for this instance.</summary>
    bool IsStopping { get; }
}
