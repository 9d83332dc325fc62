// A thin progress bar: determinate when the fraction is known (upload bytes, the service's
// percentage), an animated stripe when it is not. Exposed to assistive tech as a progressbar.
export function ProgressBar({ fraction, label }: { fraction: number | undefined; label: string }) {
  const percent = fraction === undefined ? undefined : Math.round(fraction * 100);
  return (
    <div
      className={`progress ${percent === undefined ? 'indeterminate' : ''}`}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={label || undefined}
    >
      <div
        className="progress-fill"
        style={percent === undefined ? undefined : { width: `${percent}%` }}
      />
    </div>
  );
}
