using System.Text;

namespace FlinkOpsBot.Core.Lifecycle;

/// <summary>
/// A small finite state machine whose surface mirrors the Stateless library
/// (<c>Configure(state).Permit(trigger, destination)</c>, <c>PermitIf</c>, <c>OnEntry</c>, <c>Fire</c>,
/// <c>CanFire</c>, <c>PermittedTriggers</c>, external state storage), so that swapping in Stateless is
/// mechanical once this machine's package source carries it. It holds no state of its own: the state is
/// read and written through the accessor and mutator given to the constructor.
/// </summary>
/// <typeparam name="TState">The state type (an enum in this codebase).</typeparam>
/// <typeparam name="TTrigger">The trigger type (an enum in this codebase).</typeparam>
public sealed class StateMachine<TState, TTrigger>
    where TState : notnull
    where TTrigger : notnull
{
    private readonly Func<TState> _stateAccessor;
    private readonly Action<TState> _stateMutator;
    private readonly Dictionary<TState, StateConfiguration> _states = [];

    /// <summary>Creates a machine over externally stored state (the Stateless "external state" constructor).</summary>
    public StateMachine(Func<TState> stateAccessor, Action<TState> stateMutator)
    {
        _stateAccessor = stateAccessor;
        _stateMutator = stateMutator;
    }

    /// <summary>The current state, read through the accessor.</summary>
    public TState State => _stateAccessor();

    /// <summary>The states that have a configuration, in the order they were first configured.</summary>
    public IEnumerable<TState> ConfiguredStates => _states.Keys;

    /// <summary>Begins (or continues) the configuration of <paramref name="state"/>.</summary>
    public StateConfiguration Configure(TState state)
    {
        if (!_states.TryGetValue(state, out var configuration))
        {
            configuration = new StateConfiguration(state);
            _states.Add(state, configuration);
        }
        return configuration;
    }

    /// <summary>The triggers that can fire from the current state (guards evaluated).</summary>
    public IEnumerable<TTrigger> PermittedTriggers =>
        Current?.Transitions.Where(t => t.Guard()).Select(t => t.Trigger).Distinct() ?? [];

    /// <summary>True when <paramref name="trigger"/> is permitted from the current state and its guard holds.</summary>
    public bool CanFire(TTrigger trigger) => Find(trigger) is not null;

    /// <summary>
    /// Moves to the destination that <paramref name="trigger"/> leads to from the current state, then runs the
    /// destination's entry actions.
    /// </summary>
    /// <exception cref="InvalidOperationException">The trigger is not permitted from the current state, or its guard does not hold.</exception>
    public void Fire(TTrigger trigger)
    {
        var source = State;
        var transition = Find(trigger) ?? throw new InvalidOperationException(
            $"No valid leaving transitions are permitted from state '{source}' for trigger '{trigger}'.");
        _stateMutator(transition.Destination);
        if (_states.TryGetValue(transition.Destination, out var destination))
        {
            foreach (var action in destination.EntryActions) action(new Transition(source, transition.Destination, trigger));
        }
    }

    /// <summary>
    /// Every configured transition as a Mermaid <c>stateDiagram-v2</c>, one line per transition in configuration
    /// order, with guard descriptions in brackets.
    /// </summary>
    public string ToMermaid(TState? initial = default)
    {
        var text = new StringBuilder("stateDiagram-v2\n");
        if (initial is not null) text.Append("    [*] --> ").Append(initial).Append('\n');
        foreach (var configuration in _states.Values)
        {
            foreach (var t in configuration.Transitions)
            {
                text.Append("    ").Append(configuration.State).Append(" --> ").Append(t.Destination).Append(" : ").Append(t.Trigger);
                if (t.GuardDescription is not null) text.Append(" [").Append(t.GuardDescription).Append(']');
                text.Append('\n');
            }
            if (configuration.IsFinal) text.Append("    ").Append(configuration.State).Append(" --> [*]\n");
        }
        return text.ToString();
    }

    private StateConfiguration? Current => _states.GetValueOrDefault(State);

    private TransitionRule? Find(TTrigger trigger) =>
        Current?.Transitions.FirstOrDefault(t => EqualityComparer<TTrigger>.Default.Equals(t.Trigger, trigger) && t.Guard());

    /// <summary>A transition that happened: from <paramref name="Source"/> to <paramref name="Destination"/> by <paramref name="Trigger"/>.</summary>
    public sealed record Transition(TState Source, TState Destination, TTrigger Trigger);

    internal sealed record TransitionRule(TTrigger Trigger, TState Destination, Func<bool> Guard, string? GuardDescription);

    /// <summary>The configuration of one state: its outgoing transitions and entry actions.</summary>
    public sealed class StateConfiguration
    {
        internal StateConfiguration(TState state) => State = state;

        internal TState State { get; }
        internal List<TransitionRule> Transitions { get; } = [];
        internal List<Action<Transition>> EntryActions { get; } = [];
        internal bool IsFinal { get; private set; }

        /// <summary>Allows <paramref name="trigger"/> to move the machine to <paramref name="destination"/>.</summary>
        /// <exception cref="ArgumentException">The trigger is already permitted from this state without a guard.</exception>
        public StateConfiguration Permit(TTrigger trigger, TState destination) => PermitIf(trigger, destination, static () => true, null);

        /// <summary>Allows <paramref name="trigger"/> to move the machine to <paramref name="destination"/> while <paramref name="guard"/> holds.</summary>
        public StateConfiguration PermitIf(TTrigger trigger, TState destination, Func<bool> guard, string? guardDescription)
        {
            if (Transitions.Any(t => EqualityComparer<TTrigger>.Default.Equals(t.Trigger, trigger) && t.GuardDescription is null))
            {
                throw new ArgumentException($"Trigger '{trigger}' is already permitted from state '{State}' without a guard.", nameof(trigger));
            }
            Transitions.Add(new TransitionRule(trigger, destination, guard, guardDescription));
            return this;
        }

        /// <summary>Runs <paramref name="action"/> each time the machine enters this state. Keep it pure: no I/O.</summary>
        public StateConfiguration OnEntry(Action<Transition> action)
        {
            EntryActions.Add(action);
            return this;
        }

        /// <summary>Marks the state as final (drawn with an arrow to the end marker); a final state permits nothing.</summary>
        /// <exception cref="InvalidOperationException">The state already permits a trigger.</exception>
        public StateConfiguration Final()
        {
            if (Transitions.Count > 0) throw new InvalidOperationException($"State '{State}' permits triggers; it cannot be final.");
            IsFinal = true;
            return this;
        }
    }
}
