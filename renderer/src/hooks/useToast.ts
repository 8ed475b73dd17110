import { createContext, useContext } from 'react';

export interface ToastAction {
  label: string;
  run: () => void;
}

export interface ToastApi {
  /** A failure the person should know about (role=alert). */
  error: (message: string, action?: ToastAction) => void;
  /** A quiet confirmation, optionally with one action such as Undo (role=status). */
  info: (message: string, action?: ToastAction) => void;
}

export const ToastContext = createContext<ToastApi>({ error: () => {}, info: () => {} });

export function useToast(): ToastApi {
  return useContext(ToastContext);
}
