namespace FlinkOpsBot.Core.Checks;

/// <summary>The checks recipes may name, by id.</summary>
public sealed class CheckLibrary
{
    private readonly Dictionary<string, ICheck> _checks;

    /// <summary>Creates a library over <paramref name="checks"/>.</summary>
    /// <exception cref="ArgumentException">Two checks share an id.</exception>
    public CheckLibrary(IEnumerable<ICheck> checks) => _checks = checks.ToDictionary(c => c.Id, StringComparer.Ordinal);

    /// <summary>The built-in checks.</summary>
    public static CheckLibrary BuiltIn { get; } = new([
        new JobRunningCheck(), new CheckpointRecentCheck(), new NoFailedCheckpointsCheck(), new SavepointDirectoryKnownCheck(),
        new JarExistsCheck(), new RollbackTargetKnownCheck(), new ParallelismFitsCheck(),
        new StillRunningCheck(), new NoRestartsCheck(), new CheckpointsCompletingCheck(),
        new Locks.LockHeldCheck(),
        new NameFreeCheck(), new SlotsFreeCheck(), new JobActiveCheck(), new RestorePointKnownCheck(), new DeployedJarKnownCheck(),
        new ProgramArgumentsCheck(), new JobCanceledCheck(),
        new BackfillSourceCheck(), new ProductionUntouchedCheck(),
        new ScalingEvidenceCheck(), new SchedulerKnownCheck(), new CurrentJarKnownCheck(), new LoadImprovedCheck(),
        new StateCompatibleCheck(),
        new JobStateCheck(), new RestartsCheck(), new CheckpointHealthCheck(), new VertexLoadCheck(), new ExceptionsCheck(), new JobsOverviewCheck(),
        new RootExceptionCheck(), new RestartStrategyCheck(), new CheckpointFailureReasonsCheck(), new CheckpointDurationsCheck(),
        new StateSizeTrendCheck(), new SavepointListCheck(),
        new CmfReachableCheck(), new EnvironmentExistsCheck(), new CatalogAndDatabaseExistCheck(), new ComputePoolExistsCheck(),
        new StatementNameFreeCheck(), new StatementRunningCheck(), new StatementNoExceptionsCheck(),
        new SavepointRetentionPlanCheck(), new SavepointsDeletedCheck(),
    ]);

    /// <summary>Every check id.</summary>
    public IEnumerable<string> Ids => _checks.Keys;

    /// <summary>The check with that id.</summary>
    /// <exception cref="KeyNotFoundException">No such check (recipes are validated at load, so this is a bug).</exception>
    public ICheck this[string id] => _checks[id];
}
