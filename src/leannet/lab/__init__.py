"""The leannet lab: demos, training runs, reports and plots behind the ``leannet`` command.

Nothing here is imported by ``import leannet``; matplotlib and rich are imported
only inside the functions that draw or display something.
"""
