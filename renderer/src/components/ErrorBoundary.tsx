import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Icon } from './Icon.tsx';

interface State {
  error: Error | null;
}

/** A view that crashes shows a way out instead of a blank window. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Outloud view crashed', error, info.componentStack);
  }

  override componentDidUpdate(prev: { resetKey?: string }): void {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="state state-error" role="alert">
        <div className="state-icon">
          <Icon name="alert" size={22} />
        </div>
        <h2 className="state-title">This view ran into a problem</h2>
        <p className="state-body">{this.state.error.message}</p>
        <div className="state-action">
          <button type="button" className="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
          <a className="button button-ghost" href="#/">
            Go to the timeline
          </a>
        </div>
      </div>
    );
  }
}
